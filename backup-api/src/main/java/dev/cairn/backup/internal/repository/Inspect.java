package dev.cairn.backup.internal.repository;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.backup.ConfigurationException;
import dev.cairn.backup.ObjectId;
import dev.cairn.backup.StorageException;
import dev.cairn.backup.internal.index.IndexFile;
import dev.cairn.backup.internal.pack.PackEntry;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Repository objects as they are stored, for {@code cairn list} and {@code cairn cat} (restic's
 * commands of those names): ids of each kind, and an object decrypted, as JSON where it is structured.
 * Every read is checked as usual (names against content, authentication, chunk ids). Internal API.
 */
public final class Inspect {
  /** What {@link #list} lists. */
  public static final List<String> LIST_KINDS = List.of("snapshots", "index", "packs", "keys", "locks", "blobs");
  /** What {@link #cat} shows. */
  public static final List<String> CAT_KINDS =
      List.of("config", "snapshot", "index", "key", "lock", "pack", "tree", "blob");
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private Inspect() {}

  /**
   * The ids of the objects of {@code kind} (one of {@link #LIST_KINDS}), sorted; for {@code blobs},
   * {@code "data <id>"} or {@code "tree <id>"} per blob the index lists.
   */
  public static List<String> list(EncryptedRepository repo, String kind) {
    List<String> out = new ArrayList<>();
    switch (kind) {
      case "snapshots" -> repo.list(FileType.SNAPSHOT).forEach(id -> out.add(id.hex()));
      case "index" -> repo.list(FileType.INDEX).forEach(id -> out.add(id.hex()));
      case "packs" -> repo.list(FileType.PACK).forEach(id -> out.add(id.hex()));
      case "locks" -> repo.list(FileType.LOCK).forEach(id -> out.add(id.hex()));
      case "keys" -> repo.keys().forEach(k -> out.add(k.id().hex()));
      case "blobs" -> repo.forEachBlob(b -> {
        synchronized (out) {
          out.add((b.type() == BlobType.TREE ? "tree " : "data ") + b.id().hex());
        }
      });
      default -> throw new ConfigurationException("'" + kind + "' cannot be listed: give one of " + LIST_KINDS);
    }
    out.sort(null);
    return out;
  }

  /**
   * Object {@code ref} (an id or a unique prefix; none for {@code config}) of {@code kind} (one of
   * {@link #CAT_KINDS}): JSON for the config, snapshots, index files (decoded from their binary
   * form), key files, locks, trees and pack headers; the plaintext bytes for a blob.
   */
  public static byte[] cat(EncryptedRepository repo, String kind, String ref) {
    try {
      return switch (kind) {
        case "config" -> ConfigJson.write(repo.config());
        case "snapshot" -> repo.loadUnpacked(FileType.SNAPSHOT, resolve(repo.list(FileType.SNAPSHOT), ref, "snapshot"));
        case "lock" -> repo.loadUnpacked(FileType.LOCK, resolve(repo.list(FileType.LOCK), ref, "lock"));
        case "index" -> index(repo, resolve(repo.list(FileType.INDEX), ref, "index file"));
        case "key" -> key(repo, resolve(repo.keys().stream().map(KeyInfo::id).toList(), ref, "key"));
        case "pack" -> pack(repo, resolve(repo.list(FileType.PACK), ref, "pack"));
        case "tree", "blob" -> repo.readBlob(resolveBlob(repo, ref, kind));
        default -> throw new ConfigurationException("'" + kind + "' cannot be shown: give one of " + CAT_KINDS);
      };
    } catch (IOException e) {
      throw new StorageException("could not read from " + repo.storage().location() + ": " + e.getMessage(), false, e);
    }
  }

  private static ObjectId resolve(List<ObjectId> ids, String ref, String what) {
    if (ref == null || ref.isBlank()) {
      throw new ConfigurationException("give the " + what + "'s id (or a unique prefix of it)");
    }
    return IdPrefixes.resolve(ids, ref, what, "'cairn list' shows the ids");
  }

  private static ObjectId resolveBlob(EncryptedRepository repo, String ref, String kind) {
    if (ref == null || !ref.trim().matches("[0-9a-fA-F]{64}")) {
      throw new ConfigurationException("give the " + kind + "'s full id (64 hex digits; 'cairn list blobs' shows"
          + " them)");
    }
    ObjectId id = ObjectId.parse(ref.trim().toLowerCase(java.util.Locale.ROOT));
    BlobLocation loc = repo.lookup(id).orElseThrow(() -> new ConfigurationException("no blob " + id.hex()
        + " in the index ('cairn list blobs' shows them)"));
    if (kind.equals("tree") && loc.type() != BlobType.TREE) {
      throw new ConfigurationException("blob " + id.shortHex() + " is a data blob, not a tree: 'cairn cat blob'");
    }
    return id;
  }

  private static byte[] index(EncryptedRepository repo, ObjectId id) throws IOException {
    IndexFile f = IndexFile.decode(repo.loadUnpacked(FileType.INDEX, id), ObjectStore.name(FileType.INDEX, id));
    ObjectNode root = JSON.createObjectNode();
    ArrayNode supersedes = root.putArray("supersedes");
    f.supersedes().forEach(s -> supersedes.add(s.hex()));
    ArrayNode packs = root.putArray("packs");
    for (IndexFile.PackRecord p : f.packs()) {
      ObjectNode pack = packs.addObject();
      pack.put("id", p.id().hex());
      entries(pack.putArray("blobs"), p.entries());
    }
    return JSON.writeValueAsBytes(root);
  }

  private static byte[] pack(EncryptedRepository repo, ObjectId id) throws IOException {
    ObjectNode root = JSON.createObjectNode();
    root.put("id", id.hex());
    List<PackEntry> entries = new ArrayList<>();
    repo.readPackHeader(id).forEach(l -> entries.add(EncryptedRepository.entry(l)));
    entries(root.putArray("blobs"), entries);
    return JSON.writeValueAsBytes(root);
  }

  private static void entries(ArrayNode out, List<PackEntry> entries) {
    for (PackEntry e : entries) {
      ObjectNode b = out.addObject();
      b.put("id", e.id().hex());
      b.put("type", e.type() == BlobType.TREE ? "tree" : "data");
      b.put("offset", Integer.toUnsignedLong(e.offset()));
      b.put("length", e.length());
      b.put("uncompressed_length", e.uncompressedLength());
      b.put("codec", e.codec().name().toLowerCase(java.util.Locale.ROOT));
    }
  }

  private static byte[] key(EncryptedRepository repo, ObjectId id) throws IOException {
    // key files are stored as they are: JSON with the key derivation's parameters and the wrapped keys
    try (InputStream in = repo.storage().get(ObjectStore.name(FileType.KEY, id))) {
      return in.readAllBytes();
    }
  }
}

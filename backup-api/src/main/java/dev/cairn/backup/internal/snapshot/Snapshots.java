package dev.cairn.backup.internal.snapshot;

import dev.cairn.backup.BackupException;
import dev.cairn.backup.IntegrityException;
import dev.cairn.backup.ObjectId;
import dev.cairn.backup.Snapshot;
import dev.cairn.backup.internal.repository.EncryptedRepository;
import dev.cairn.backup.internal.repository.FileType;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.BiConsumer;

/** Loading, listing and selecting snapshots of a repository. */
public final class Snapshots {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Snapshots.class);
  private Snapshots() {}

  /** Stores {@code snapshot} (its id is ignored) as the commit point and returns it with its real id. */
  public static Snapshot save(EncryptedRepository repo, Snapshot snapshot) {
    ObjectId id = repo.saveUnpacked(FileType.SNAPSHOT, SnapshotCodec.encode(snapshot));
    return new Snapshot(id, snapshot.time(), snapshot.host(), snapshot.plan(), snapshot.tags(), snapshot.parent(),
        snapshot.sources(), snapshot.checks(), snapshot.complete());
  }

  /** Loads snapshot {@code id}. */
  public static Snapshot load(EncryptedRepository repo, ObjectId id) {
    return SnapshotCodec.decode(id, repo.loadUnpacked(FileType.SNAPSHOT, id));
  }

  /**
   * Loads every snapshot, oldest first; snapshots whose file is damaged ({@link IntegrityException})
   * go to {@code onError} (or propagate when it is {@code null}). Any other failure (storage trouble, a
   * newer format) always propagates: a snapshot that cannot be read right now is not damaged.
   */
  public static List<Snapshot> all(EncryptedRepository repo, BiConsumer<ObjectId, RuntimeException> onError) {
    return all(repo, onError, false);
  }

  /**
   * The snapshots a backup may take a parent from, oldest first: as {@link #all}, but a snapshot
   * file that is damaged or of a newer format (another host runs a newer Cairn) is left out with a
   * warning, so that it never stops this host's backups. A storage failure still fails.
   */
  public static List<Snapshot> parentCandidates(EncryptedRepository repo) {
    return skippingUnreadable(repo, "it is not used as a parent");
  }

  /**
   * Every snapshot this Cairn can read, oldest first: a damaged one or one of a newer format is left
   * out with a warning naming it and {@code consequence}. A storage failure still fails.
   */
  public static List<Snapshot> skippingUnreadable(EncryptedRepository repo, String consequence) {
    return all(repo, (id, e) -> LOG.warn("snapshot {} cannot be read, {}: {}", id.shortHex(), consequence,
        e.getMessage()), true);
  }

  private static List<Snapshot> all(EncryptedRepository repo, BiConsumer<ObjectId, RuntimeException> onError,
      boolean skipNewer) {
    List<ObjectId> ids = repo.list(FileType.SNAPSHOT);
    List<Loaded> loaded = new ArrayList<>(ids.size());
    repo.loadEach(ids, id -> {
      try {
        return new Loaded(load(repo, id), null);
      } catch (SnapshotCodec.NewerFormatException e) {
        if (!skipNewer) {
          throw e;
        }
        return new Loaded(null, e);
      } catch (IntegrityException e) {
        if (onError == null) {
          throw e;
        }
        return new Loaded(null, e);
      } catch (dev.cairn.backup.StorageException e) {
        if (e.getCause() instanceof java.nio.file.NoSuchFileException) {
          return new Loaded(null, null); // removed since the listing (a forget or tag meanwhile): gone
        }
        throw e;
      }
    }, loaded::add);
    List<Snapshot> out = new ArrayList<>();
    for (int i = 0; i < ids.size(); i++) {
      Loaded l = loaded.get(i);
      if (l.error() != null) {
        onError.accept(ids.get(i), l.error());
      } else if (l.snapshot() != null) {
        out.add(l.snapshot());
      }
    }
    out.sort(Comparator.comparing(Snapshot::time).thenComparing(Snapshot::id));
    return out;
  }

  /**
   * Every readable snapshot, oldest first; a snapshot file that cannot be read is left out with a
   * warning naming it and what to do, so that one damaged file does not hide every other snapshot.
   * For listing and restoring; not for prune, which must know what every snapshot needs.
   */
  public static List<Snapshot> readable(EncryptedRepository repo) {
    return all(repo, (id, e) -> LOG.warn("snapshot {} cannot be read and is left out: {}. 'cairn verify' reports"
        + " it; 'cairn forget {}' removes it", id.shortHex(), e.getMessage(), id.shortHex()));
  }

  /**
   * Resolves {@code ref}: {@code latest} (newest, optionally of {@code plan} and {@code host}), a full
   * id, or a unique id prefix.
   *
   * @throws BackupException naming {@code ref} if nothing or several snapshots match
   */
  public static Snapshot resolve(EncryptedRepository repo, String ref, String plan, String host) {
    String r = ref.trim().toLowerCase(Locale.ROOT);
    if (r.equals("latest")) {
      List<Snapshot> all = readable(repo);
      for (int i = all.size() - 1; i >= 0; i--) {
        Snapshot s = all.get(i);
        if ((plan == null || s.plan().equals(plan)) && (host == null || s.host().equals(host))) {
          return s;
        }
      }
      throw new BackupException("the repository has no snapshot" + (plan == null ? "" : " of plan '" + plan + "'")
          + (host == null ? "" : " from host '" + host + "'") + "; run a backup first");
    }
    if (!r.matches("[0-9a-f]{1,64}")) {
      throw new BackupException("'" + ref + "' is not a snapshot id: give 'latest', an id or a prefix of one");
    }
    return load(repo, resolveId(repo.list(FileType.SNAPSHOT), ref));
  }

  /**
   * The one id among {@code ids} that {@code ref} (a full id or a unique prefix) names, without reading
   * the snapshot (so a damaged one can be named too).
   *
   * @throws BackupException naming {@code ref} if it is not hex, or matches no id or several
   */
  public static ObjectId resolveId(List<ObjectId> ids, String ref) {
    return dev.cairn.backup.internal.repository.IdPrefixes.resolve(ids, ref, "snapshot",
        "list them with 'cairn snapshots'");
  }


  /** The newest snapshot of the same plan and host holding a source named {@code source} of type {@code type}. */
  public static Optional<Snapshot> parent(List<Snapshot> all, String plan, String host, String source, String type) {
    for (int i = all.size() - 1; i >= 0; i--) {
      Snapshot s = all.get(i);
      if (s.plan().equals(plan) && s.host().equals(host)
          && s.source(source).filter(x -> x.type().equals(type)).isPresent()) {
        return Optional.of(s);
      }
    }
    return Optional.empty();
  }

  private record Loaded(Snapshot snapshot, RuntimeException error) {}
}

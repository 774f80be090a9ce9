package dev.cairn.backup;

import dev.cairn.backup.spi.EntryMetadata;
import dev.cairn.backup.spi.EntryType;
import dev.cairn.backup.spi.RestoreInput;
import dev.cairn.backup.spi.RestoreResult;
import dev.cairn.backup.spi.Restorer;
import dev.cairn.backup.spi.Verification;
import dev.cairn.backup.spi.VerificationResult;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.apache.commons.io.output.CloseShieldOutputStream;

/**
 * Writes a snapshot's content to a stream instead of a directory, as {@code cairn dump} does: a file's
 * bytes, or a directory (or a whole source) as a POSIX tar archive that unpacks to the layout a
 * {@link DirectoryRestorer} writes (paths relative to the source, modes, modification times,
 * symlinks). Every chunk is checked against its id as it is read, and files with recorded SHA-256 data
 * (stream sources) are re-hashed on the way and compared; a mismatch is a failed verification in the
 * result, reported after the bytes went out. The stream is flushed, never closed. Use through
 * {@link RestoreRequest.Builder#restorer}, selecting the same path in the request so that only it is
 * read:
 *
 * <pre>{@code
 * repo.restore(RestoreRequest.builder().snapshot("latest").source("app.sql").path("app.sql")
 *     .restorer("app.sql", DumpRestorer.of("app.sql", System.out)).build());
 * }</pre>
 *
 * <p>Immutable; one restore at a time per stream.
 */
public final class DumpRestorer implements Restorer {
  private final OutputStream out;
  private final String path;
  private final boolean archive;
  private final String prefix;
  private final String noArchive;
  private final Archive shared;

  private DumpRestorer(OutputStream out, String path, boolean archive, String prefix, String noArchive,
      Archive shared) {
    this.out = Objects.requireNonNull(out, "out");
    this.path = path;
    this.archive = archive;
    this.prefix = prefix;
    this.noArchive = noArchive;
    this.shared = shared;
  }

  /**
   * Writes entry {@code path} of the source to {@code out}: its bytes if it is a file, else (a
   * directory, a symlink, or {@code ""} for the whole source) a tar archive of it and what is under it.
   */
  public static DumpRestorer of(String path, OutputStream out) {
    Objects.requireNonNull(path, "path");
    return new DumpRestorer(out, path.replaceAll("^/+|/+$", ""), false, "", null, null);
  }

  /** Writes a tar archive even when the path is a single file. */
  public DumpRestorer archive() {
    return new DumpRestorer(out, path, true, prefix, noArchive, shared);
  }

  /**
   * Writes only a file's bytes: when the path is a directory or a whole source, fails with a
   * {@link RestoreException} saying {@code why} before writing anything (e.g. because the stream is a
   * terminal).
   */
  public DumpRestorer fileOnly(String why) {
    return new DumpRestorer(out, path, archive, prefix, Objects.requireNonNull(why, "why"), shared);
  }

  /**
   * Puts the archive's entries under directory {@code name} (e.g. the source's name, as a restore of a
   * snapshot with several sources lays them out); {@code ""} for none.
   */
  public DumpRestorer under(String name) {
    Objects.requireNonNull(name, "name");
    String p = name.replaceAll("^/+|/+$", "");
    return new DumpRestorer(out, path, archive, p.isEmpty() ? "" : p + "/", noArchive, shared);
  }

  /**
   * One tar archive of several sources (a whole snapshot): give each source the restorer
   * {@link Archive#source} returns, restore, then close the archive, which ends it; after a failed
   * restore, do not close it, so that the archive stays visibly truncated. Not thread-safe;
   * the sources are written one after the other, as {@link Repository#restore} runs them.
   */
  public static Archive archive(OutputStream out) {
    return new Archive(out);
  }

  /** A tar archive shared by the restorers of several sources; see {@link #archive(OutputStream)}. */
  public static final class Archive implements AutoCloseable {
    private final OutputStream out;
    private final java.util.Set<String> directories = new java.util.HashSet<>();
    private TarArchiveOutputStream tar;

    private Archive(OutputStream out) {
      this.out = Objects.requireNonNull(out, "out");
    }

    /** The restorer for source {@code name}: its whole tree, under directory {@code name} in the archive. */
    public DumpRestorer source(String name) {
      return new DumpRestorer(out, "", true, "", null, this).under(name);
    }

    TarArchiveOutputStream tar() {
      if (tar == null) {
        tar = newTar(out);
      }
      return tar;
    }

    /** Ends the archive (the stream stays open, flushed). */
    @Override
    public void close() throws IOException {
      TarArchiveOutputStream t = tar();
      t.finish();
      t.close();
      out.flush();
    }
  }

  private static TarArchiveOutputStream newTar(OutputStream out) {
    // the archive is finished but the caller's stream stays open
    TarArchiveOutputStream tar = new TarArchiveOutputStream(CloseShieldOutputStream.wrap(out));
    tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
    tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
    tar.setAddPaxHeadersForNonAsciiNames(true);
    return tar;
  }

  @Override
  public String type() {
    return FileSource.TYPE;
  }

  /**
   * Writes the file or the archive.
   *
   * @throws RestoreException if the path is not in the input
   * @throws IntegrityException if stored data is damaged (the output is then incomplete)
   */
  @Override
  public RestoreResult restore(RestoreInput input) throws IOException {
    Map<String, Verification> sha = DirectoryRestorer.sha256Verifications(input);
    List<VerificationResult> results = new ArrayList<>();
    AtomicLong bytes = new AtomicLong();
    EntryMetadata chosen = null;
    if (!path.isEmpty()) {
      chosen = input.entries().stream().filter(x -> x.path().equals(path)).findFirst()
          .orElseThrow(() -> new RestoreException("'" + path + "' is not in source '" + input.sourceName()
              + "' of snapshot " + input.snapshotId().substring(0, 8) + "; list its paths with 'cairn ls'"));
    }
    boolean single = chosen != null && chosen.type() == EntryType.FILE && !archive;
    if (!single && noArchive != null) {
      throw new RestoreException((chosen == null ? "source '" + input.sourceName() + "'" : "'" + path + "'") + " is "
          + (chosen == null ? "a whole source" : "a " + chosen.type().name().toLowerCase(java.util.Locale.ROOT))
          + ", written as a tar archive, and " + noArchive);
    }
    long entries;
    if (single) {
      copy(input, chosen, out, sha.get(chosen.path()), results, bytes);
      entries = 1;
    } else {
      entries = writeTar(input, sha, results, bytes);
    }
    out.flush();
    return new RestoreResult(input.sourceName(), single ? "stream" : "tar stream", entries, bytes.get(), results);
  }

  private long writeTar(RestoreInput input, Map<String, Verification> sha, List<VerificationResult> results,
      AtomicLong bytes) throws IOException {
    TarArchiveOutputStream tar = shared != null ? shared.tar() : newTar(out);
    long n = 0;
    if (!prefix.isEmpty()) {
      // the directories leading to the entries, so that an unpacking tar gives them sane modes
      String[] parts = prefix.split("/");
      StringBuilder dir = new StringBuilder();
      for (String part : parts) {
        dir.append(part).append('/');
        if (shared != null && !shared.directories.add(dir.toString())) {
          continue; // written for an earlier source with the same leading directories
        }
        TarArchiveEntry d = new TarArchiveEntry(dir.toString());
        d.setModTime(java.nio.file.attribute.FileTime.from(input.snapshotTime()));
        tar.putArchiveEntry(d);
        tar.closeArchiveEntry();
      }
    }
    for (EntryMetadata e : input.entries()) {
      TarArchiveEntry t;
      switch (e.type()) {
        case DIRECTORY -> {
          t = new TarArchiveEntry(prefix + e.path() + "/");
          t.setMode(TarArchiveEntry.DEFAULT_DIR_MODE & ~07777 | (e.mode() < 0 ? 0755 : e.mode() & 07777));
        }
        case SYMLINK -> {
          t = new TarArchiveEntry(prefix + e.path(), TarConstants.LF_SYMLINK);
          t.setLinkName(input.symlinkTarget(e.path()));
          t.setMode(0120777);
        }
        default -> {
          t = new TarArchiveEntry(prefix + e.path());
          t.setMode(TarArchiveEntry.DEFAULT_FILE_MODE & ~07777 | (e.mode() < 0 ? 0644 : e.mode() & 07777));
          t.setSize(Math.max(0, e.size()));
        }
      }
      // entries without a time (a command's output, database tables) get the snapshot's: the same
      // snapshot always gives the same archive
      t.setModTime(java.nio.file.attribute.FileTime.from(e.modifiedTime() != null ? e.modifiedTime()
          : input.snapshotTime()));
      tar.putArchiveEntry(t);
      if (e.type() == EntryType.FILE) {
        copy(input, e, tar, sha.get(e.path()), results, bytes);
      }
      tar.closeArchiveEntry(); // fails if the content was not exactly the recorded size
      n++;
    }
    if (shared == null) {
      tar.finish();
      tar.close();
    } else {
      tar.flush(); // the archive goes on with the next source; Archive.close() ends it
    }
    return n;
  }

  private static void copy(RestoreInput input, EntryMetadata e, OutputStream to, Verification v,
      List<VerificationResult> results, AtomicLong bytes) throws IOException {
    MessageDigest digest = v == null ? null : DirectoryRestorer.sha256();
    long n = 0;
    byte[] buf = new byte[1 << 16];
    try (InputStream in = input.open(e.path())) {
      for (int r; (r = in.read(buf)) > 0; n += r) {
        to.write(buf, 0, r);
        if (digest != null) {
          digest.update(buf, 0, r);
        }
      }
    }
    bytes.addAndGet(n);
    if (v != null) {
      results.add(VerificationResult.compare(v, n, "sha256:" + HexFormat.of().formatHex(digest.digest())));
    }
  }
}

package dev.cairn.backup;

import dev.cairn.backup.internal.compress.Compressor;
import dev.cairn.backup.internal.source.Failures;
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
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Restores entries as files into a directory: regular files with their content, directories (empty
 * ones too), symlinks (verbatim), POSIX modes and modification times. Works for any source type; it
 * is how {@code files} and {@code stream} sources come back.
 *
 * <p>Refuses a destination that exists and is not empty unless {@link #overwrite(boolean)} allows it
 * (then files are replaced in place), before writing anything. When overwriting, a regular file that
 * already holds its entry's content is kept, only its mode and time set: it is read and checked chunk
 * by chunk against the snapshot's chunk ids, and nothing of it is read from the repository. So running
 * a restore that stopped part-way (a network failure, a full disk) again with overwriting allowed reads
 * from the repository only what is still missing. Every chunk is checked against its id
 * as it is read; entries with SHA-256 verification data (stream sources record it) are re-hashed and
 * compared, and the result is in the {@link RestoreResult}. Files are created by one thread, in
 * snapshot order (creating files in one directory from several threads only makes them wait on the
 * directory's lock in the kernel), and written by several. If the restore fails part-way, the files
 * being written are finished and no further file is created (when overwriting, files not reached stay
 * as they were); only the files whose reading or writing failed are incomplete (a full disk fails every
 * file being written), and the exception names them.
 * Immutable and thread-safe; {@link #overwrite(boolean)} and {@link #threads(int)} return copies.
 */
public final class DirectoryRestorer implements Restorer {
  private static final Set<StandardOpenOption> CREATE_NEW =
      Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
  /** Files created but not yet written and closed, at most: bounds open descriptors. */
  private static final int MAX_OPEN = 64;
  private static final int WRITE_SLICE = 1 << 20;
  /** This process's umask, or -1 where the platform does not tell it (then every mode is set explicitly). */
  private static final int UMASK =
      FileSystems.getDefault().supportedFileAttributeViews().contains("posix") ? readUmask() : -1;
  private final Path destination;
  private final boolean overwrite;
  private final int threads;

  private DirectoryRestorer(Path destination, boolean overwrite, int threads) {
    this.destination = destination;
    this.overwrite = overwrite;
    this.threads = threads;
  }

  /** A restorer writing into {@code destination} (created if missing), refusing it if not empty. */
  public static DirectoryRestorer to(Path destination) {
    Objects.requireNonNull(destination, "destination");
    return new DirectoryRestorer(destination.toAbsolutePath().normalize(), false,
        Math.max(2, Math.min(8, 2 * Runtime.getRuntime().availableProcessors())));
  }

  /** A copy that does ({@code true}) or does not write into a non-empty destination. */
  public DirectoryRestorer overwrite(boolean overwrite) {
    return new DirectoryRestorer(destination, overwrite, threads);
  }

  /** A copy writing files with {@code threads} threads (default twice the cores, 2 to 8). */
  public DirectoryRestorer threads(int threads) {
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be at least 1, got " + threads);
    }
    return new DirectoryRestorer(destination, overwrite, threads);
  }

  /** The destination directory. */
  public Path destination() {
    return destination;
  }

  @Override
  public String type() {
    return FileSource.TYPE;
  }

  /**
   * Writes every entry of {@code input} below the destination, then restores directory metadata and
   * checks recorded verification data.
   *
   * @throws RestoreException if the destination is not empty (and overwriting is not allowed) or not
   *     a directory
   * @throws IntegrityException if stored data is damaged
   */
  @Override
  public RestoreResult restore(RestoreInput input) throws IOException {
    checkDestination();
    Files.createDirectories(destination);
    Map<String, Verification> sha = sha256Verifications(input);
    Map<String, VerificationResult> results = new java.util.TreeMap<>();
    AtomicLong bytes = new AtomicLong();
    List<EntryMetadata> directories = new ArrayList<>();
    ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
      Thread t = new Thread(Compressor.releasingAtExit(r), "cairn-restore");
      t.setDaemon(true);
      return t;
    });
    List<Future<?>> pending = new ArrayList<>();
    Semaphore openFiles = new Semaphore(MAX_OPEN);
    Map<FileChannel, Path> created = new ConcurrentHashMap<>();
    boolean exactModes = !overwrite && creationModesAreExact();
    Set<Path> knownDirectories = new HashSet<>();
    knownDirectories.add(destination);
    AtomicLong unchangedBytes = new AtomicLong();
    Set<String> unchanged = Set.of();
    // once a file fails (a full disk fails every file after it), no further file is started: the files
    // whose writing failed are the only incomplete ones, and the failure names them
    AtomicBoolean failed = new AtomicBoolean();
    Set<Path> incomplete = new ConcurrentSkipListSet<>();
    try {
      try {
        if (overwrite) {
          unchanged = unchangedFiles(input, sha, results, unchangedBytes, pool);
        }
        for (EntryMetadata e : input.entries()) {
          if (failed.get()) {
            break; // the failure is rethrown below
          }
          Path target = resolve(e.path());
          if (knownDirectories.add(target.getParent())) {
            ensureParent(target);
          }
          switch (e.type()) {
            case DIRECTORY -> {
              if (Files.exists(target, LinkOption.NOFOLLOW_LINKS) && !Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
                Files.delete(target); // only possible when overwriting: a file or link where the snapshot has a directory
              }
              Files.createDirectories(target);
              knownDirectories.add(target);
              directories.add(e);
            }
            case SYMLINK -> {
              if (overwrite) {
                deleteIfNotDirectory(target);
              }
              createSymlink(target, input.symlinkTarget(e.path()));
              setTimes(target, e);
            }
            case FILE -> {
              Verification v = sha.get(e.path());
              if (unchanged.contains(e.path())) {
                setMode(target, e.mode());
                setTimes(target, e);
                break;
              }
              if (overwrite) {
                // replacing files: delete and create in the task, so a failed restore leaves the files it
                // did not reach as they were
                // at most MAX_OPEN queued or being written, as below
                acquire(openFiles);
                try {
                  pending.add(pool.submit(() -> {
                    try {
                      if (failed.get()) {
                        return null; // not reached: stays as it was
                      }
                      record(results, e, writeFile(input, e, target, null, false, v, bytes, incomplete));
                    } catch (IOException | RuntimeException | Error ex) {
                      failed.set(true);
                      throw ex;
                    } finally {
                      openFiles.release();
                    }
                    return null;
                  }));
                } catch (RuntimeException ex) {
                  openFiles.release();
                  throw ex;
                }
                break;
              }
              boolean modeSet = exactModes && createsWithMode(e.mode());
              acquire(openFiles);
              FileChannel channel;
              try {
                channel = modeSet
                    ? FileChannel.open(target, CREATE_NEW, PosixFilePermissions.asFileAttribute(permissions(e.mode())))
                    : FileChannel.open(target, CREATE_NEW);
              } catch (IOException | RuntimeException ex) {
                openFiles.release();
                throw ex;
              }
              created.put(channel, target);
              pending.add(pool.submit(() -> {
                try {
                  created.remove(channel);
                  if (failed.get()) {
                    closeQuietly(channel); // not reached: not left behind empty
                    Files.deleteIfExists(target);
                    return null;
                  }
                  record(results, e, writeFile(input, e, target, channel, modeSet, v, bytes, incomplete));
                  return null;
                } catch (IOException | RuntimeException | Error ex) {
                  failed.set(true);
                  throw ex;
                } finally {
                  try {
                    closeQuietly(channel); // already closed unless writing failed: keep that failure
                  } finally {
                    openFiles.release();
                  }
                }
              }));
            }
          }
          drainDone(pending);
        }
        for (Future<?> f : pending) {
          await(f);
        }
      } finally {
        // on failure: files being written are finished, files not started are not started (no half-written
        // files besides the one that failed)
        for (Future<?> f : pending) {
          f.cancel(false);
        }
        pool.shutdown();
        awaitTermination(pool);
        // files created, but the restore failed before their turn: remove them rather than leave them empty
        created.forEach((channel, path) -> {
          closeQuietly(channel);
          try {
            Files.deleteIfExists(path);
          } catch (IOException ignored) {
            // the restore already fails with its own error
          }
        });
      }
    } catch (IOException e) {
      throw namingIncomplete(e, incomplete);
    }
    for (int i = directories.size() - 1; i >= 0; i--) {
      EntryMetadata d = directories.get(i);
      Path target = resolve(d.path());
      setMode(target, d.mode());
      setTimes(target, d);
    }
    // a file whose SHA-256 was recorded at backup time but which the snapshot no longer holds (left out by
    // 'repair snapshots' when its data was lost) did not come back: reported, as a database restore reports a
    // table left out, never counted as verified
    Set<String> files = new HashSet<>();
    for (EntryMetadata e : sha.isEmpty() ? List.<EntryMetadata>of() : input.entries()) {
      if (e.type() == EntryType.FILE && sha.containsKey(e.path())) {
        files.add(e.path());
      }
    }
    sha.forEach((path, v) -> {
      if (!files.contains(path)) {
        results.put(path, VerificationResult.missing(v));
      }
    });
    return new RestoreResult(input.sourceName(), destination.toString(), input.entries().size(), bytes.get(),
        new ArrayList<>(results.values()), unchanged.size(), unchangedBytes.get());
  }

  /**
   * The file entries of {@code input} that the destination already holds with their snapshot content
   * (what an earlier restore that stopped part-way wrote), checked on {@code pool} chunk by chunk
   * against their ids (see {@link RestoreInput#holdsContent}); only regular files of the right size, in
   * directories below the destination reached without a symlink, are read. Their recorded checksums
   * are compared as they are read, into {@code results}. A file that cannot be read is not kept: the
   * restore replaces it.
   */
  private Set<String> unchangedFiles(RestoreInput input, Map<String, Verification> sha,
      Map<String, VerificationResult> results, AtomicLong unchangedBytes, ExecutorService pool) throws IOException {
    Set<String> kept = ConcurrentHashMap.newKeySet();
    List<Future<?>> checks = new ArrayList<>();
    // checks queued or running, at most: stat-ing is far faster than reading, and a task queued for each of a
    // million files would hold them all in memory at once
    Semaphore inFlight = new Semaphore(MAX_OPEN);
    Map<Path, Boolean> plainDirectories = new HashMap<>();
    Path realDestination = destination.toRealPath();
    for (EntryMetadata e : input.entries()) {
      if (e.type() != EntryType.FILE) {
        continue;
      }
      Path target = resolve(e.path());
      BasicFileAttributes existing;
      try {
        existing = Files.readAttributes(target, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
      } catch (IOException ex) {
        continue; // absent (the usual case), or not even its attributes readable: written anew
      }
      if (!existing.isRegularFile() || existing.size() != e.size()
          || !plainDirectories.computeIfAbsent(target.getParent(), dir -> reachedWithoutLinks(dir, realDestination))) {
        continue;
      }
      acquire(inFlight);
      Future<?> check;
      try {
        check = pool.submit(() -> {
          try {
            return checkUnchanged(input, e, target, sha, results, kept, unchangedBytes);
          } finally {
            inFlight.release();
          }
        });
      } catch (RuntimeException ex) {
        inFlight.release();
        throw ex;
      }
      checks.add(check);
      drainDone(checks);
    }
    for (Future<?> f : checks) {
      await(f);
    }
    return kept;
  }

  /** Checks one file for {@link #unchangedFiles}, adding it to {@code kept} if it holds its content. */
  private static Object checkUnchanged(RestoreInput input, EntryMetadata e, Path target,
      Map<String, Verification> sha, Map<String, VerificationResult> results, Set<String> kept,
      AtomicLong unchangedBytes) {
    Verification v = sha.get(e.path());
    MessageDigest digest = v == null ? null : sha256();
    try (InputStream file = Files.newInputStream(target, LinkOption.NOFOLLOW_LINKS);
        InputStream in = digest == null ? file : new DigestInputStream(file, digest)) {
      if (input.holdsContent(e.path(), in)) {
        kept.add(e.path());
        unchangedBytes.addAndGet(e.size());
        if (v != null) {
          record(results, e, VerificationResult.compare(v, e.size(),
              "sha256:" + HexFormat.of().formatHex(digest.digest())));
        }
      }
    } catch (IOException ex) {
      // unreadable (permissions, I/O error): the restore replaces it
    }
    return null;
  }

  /** Whether {@code dir}, inside the destination, is that very path with no symlink on the way. */
  private boolean reachedWithoutLinks(Path dir, Path realDestination) {
    try {
      return dir.toRealPath().equals(realDestination.resolve(destination.relativize(dir)).normalize());
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * {@code failure} of a restore, with the files it left incomplete named: a full disk's error names no
   * file, and several files being written at once fail together.
   */
  private static IOException namingIncomplete(IOException failure, Set<Path> incomplete) {
    if (incomplete.isEmpty()) {
      return failure;
    }
    List<String> names = incomplete.stream().map(Path::toString).toList();
    String message = failure.getMessage() + "; the restore stopped there, " + (names.size() == 1
        ? "and " + names.get(0) + " is incomplete" : "and these files are incomplete: " + String.join(", ", names))
        + " (every other file written is whole; restoring again with overwriting allowed keeps those and"
        + " writes the rest)";
    return new IOException(message, failure);
  }

  /**
   * Writes one file through {@code created}, or (when null) deletes whatever is at {@code target} and creates it.
   * If writing fails once the file exists, {@code target} is added to {@code incomplete}.
   */
  private static VerificationResult writeFile(RestoreInput input, EntryMetadata e, Path target, FileChannel created,
      boolean modeSet, Verification v, AtomicLong bytes, Set<Path> incomplete) throws IOException {
    FileChannel channel = created;
    if (channel == null) {
      deleteIfNotDirectory(target);
      channel = FileChannel.open(target, CREATE_NEW);
    }
    FileChannel out = channel;
    MessageDigest digest = v == null ? null : sha256();
    long n;
    try (out; InputStream in = input.open(e.path())) {
      n = in.transferTo(new OutputStream() {
        @Override
        public void write(int b) throws IOException {
          write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
          // at most 1 MiB per call: the JDK copies heap buffers through a per-thread direct buffer of the
          // same size, which it keeps
          for (int p = 0; p < len; p += WRITE_SLICE) {
            ByteBuffer buf = ByteBuffer.wrap(b, off + p, Math.min(WRITE_SLICE, len - p));
            while (buf.hasRemaining()) {
              out.write(buf);
            }
          }
          if (digest != null) {
            digest.update(b, off, len);
          }
          bytes.addAndGet(len);
        }
      });
    } catch (IOException | RuntimeException | Error ex) {
      incomplete.add(target);
      throw ex;
    }
    if (!modeSet) {
      setMode(target, e.mode());
    }
    setTimes(target, e);
    if (v == null) {
      return null;
    }
    return VerificationResult.compare(v, n, "sha256:" + HexFormat.of().formatHex(digest.digest()));
  }

  private void checkDestination() throws IOException {
    if (!Files.exists(destination, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    if (!Files.isDirectory(destination)) {
      throw new RestoreException("restore destination " + destination + " exists and is not a directory; "
          + "choose a directory");
    }
    if (overwrite) {
      return;
    }
    try (DirectoryStream<Path> s = Files.newDirectoryStream(destination)) {
      Iterator<Path> it = s.iterator();
      if (it.hasNext()) {
        throw new RestoreException("restore destination " + destination + " is not empty (it holds '"
            + it.next().getFileName() + "'); choose an empty directory or allow overwriting");
      }
    }
  }

  private Path resolve(String path) {
    Path p = destination.resolve(path).normalize();
    if (!p.startsWith(destination)) {
      throw new RestoreException("entry path '" + path + "' leaves the destination " + destination);
    }
    return p;
  }

  private void ensureParent(Path target) throws IOException {
    Path parent = target.getParent();
    if (!parent.equals(destination) && !Files.isDirectory(parent, LinkOption.NOFOLLOW_LINKS)) {
      if (Files.exists(parent, LinkOption.NOFOLLOW_LINKS)) {
        Files.delete(parent); // a file or link in the way of a directory, when overwriting
      }
      Files.createDirectories(parent);
    }
  }

  /**
   * Creates symlink {@code link} pointing to {@code target} verbatim. A {@link Path} drops a trailing
   * '/' and doubled slashes ({@code /mnt/data/} becomes {@code /mnt/data}), so such a target is written
   * by {@code ln -s}, which keeps readlink's bytes as the backup recorded them; where ln cannot run, the
   * JDK's link (the same place, spelled shorter) is the fallback.
   */
  private static void createSymlink(Path link, String target) throws IOException {
    Path asPath = link.getFileSystem().getPath(target);
    if (!asPath.toString().equals(target)) {
      try {
        Process ln = new ProcessBuilder("ln", "-s", "--", target, link.toString())
            .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (ln.waitFor() == 0 && Files.isSymbolicLink(link)) {
          return;
        }
      } catch (IOException ignored) {
        // no ln on this system: the JDK's link below
      } catch (InterruptedException ex) {
        Thread.currentThread().interrupt();
        throw new RestoreException("restore interrupted", ex);
      }
      if (Files.exists(link, LinkOption.NOFOLLOW_LINKS)) {
        return; // ln made it but exited non-zero: keep what is there
      }
    }
    Files.createSymbolicLink(link, asPath);
  }

  private static void deleteIfNotDirectory(Path target) throws IOException {
    if (Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
      throw new RestoreException("cannot restore '" + target + "': a directory is in the way of a file or link;"
          + " move it away or restore into an empty directory");
    }
    Files.deleteIfExists(target);
  }

  /**
   * Whether a file created with {@code mode} as its permissions ends up with exactly that mode: no
   * special bits, and none the umask would clear (then the separate chmod is saved).
   */
  private static boolean createsWithMode(int mode) {
    // owner write kept: some network file systems check the mode on every write, not only at open
    return mode >= 0 && (mode & ~0777) == 0 && (mode & 0200) != 0 && UMASK >= 0 && (mode & UMASK) == 0;
  }

  /**
   * Whether files created in the destination get exactly the mode asked for, less the umask: not so
   * under a default ACL, which replaces the umask. Checked once per restore with a probe file.
   */
  private boolean creationModesAreExact() {
    if (UMASK < 0 || !destination.getFileSystem().supportedFileAttributeViews().contains("posix")) {
      return false;
    }
    int mode = 0777 & ~UMASK;
    Path probe = destination.resolve(".cairn-mode-probe-" + ProcessHandle.current().pid() + "-" + System.nanoTime());
    try {
      Files.createFile(probe, PosixFilePermissions.asFileAttribute(permissions(mode)));
      try {
        return permissions(mode).equals(Files.getPosixFilePermissions(probe, LinkOption.NOFOLLOW_LINKS));
      } finally {
        Files.deleteIfExists(probe);
      }
    } catch (IOException | RuntimeException e) {
      return false; // set every mode explicitly
    }
  }

  private static void record(Map<String, VerificationResult> results, EntryMetadata e, VerificationResult r) {
    if (r != null) {
      synchronized (results) {
        results.put(e.path(), r);
      }
    }
  }

  private static void closeQuietly(FileChannel channel) {
    try {
      channel.close();
    } catch (IOException ignored) {
      // only after writing failed (a successful write closed it already): that failure is the one to report
    }
  }

  private static int readUmask() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("Umask:")) {
          return Integer.parseInt(line.substring("Umask:".length()).trim(), 8);
        }
      }
    } catch (IOException | RuntimeException e) {
      // not Linux, or /proc is not mounted: modes are set after creation instead
    }
    return -1;
  }

  private static Set<PosixFilePermission> permissions(int mode) {
    Set<PosixFilePermission> perms = EnumSet.noneOf(PosixFilePermission.class);
    PosixFilePermission[] order = {
      PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_READ,
      PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_READ,
      PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_READ};
    for (int bit = 0; bit < order.length; bit++) {
      if ((mode & (1 << bit)) != 0) {
        perms.add(order[bit]);
      }
    }
    return perms;
  }

  private static void setMode(Path p, int mode) throws IOException {
    if (mode < 0) {
      return;
    }
    try {
      if ((mode & 07000) != 0) {
        Files.setAttribute(p, "unix:mode", mode & 07777);
      } else {
        Files.setPosixFilePermissions(p, permissions(mode));
      }
    } catch (UnsupportedOperationException e) {
      // a file system without POSIX permissions: contents and times still restore
    }
  }

  private static void setTimes(Path p, EntryMetadata e) throws IOException {
    if (e.modifiedTime() == null) {
      return;
    }
    FileTime t = FileTime.from(e.modifiedTime());
    try {
      Files.getFileAttributeView(p, BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS).setTimes(t, null, null);
    } catch (IOException | UnsupportedOperationException ex) {
      if (e.type() != EntryType.SYMLINK) {
        throw ex;
      }
      // some platforms cannot set a symlink's own times: the link itself still restores
    }
  }

  private static void acquire(Semaphore s) {
    try {
      s.acquire();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RestoreException("restore interrupted", e);
    }
  }

  /** Waits for the files being written; interrupting the caller stops them at once instead. */
  private static void awaitTermination(ExecutorService pool) {
    try {
      while (!pool.awaitTermination(1, TimeUnit.MINUTES)) {
        // a large file is still being written
      }
    } catch (InterruptedException e) {
      pool.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }

  private static void drainDone(List<Future<?>> pending) throws IOException {
    if (pending.size() < 1024) {
      return;
    }
    Iterator<Future<?>> it = pending.iterator();
    while (it.hasNext()) {
      Future<?> f = it.next();
      if (f.isDone()) {
        await(f);
        it.remove();
      }
    }
  }

  private static void await(Future<?> f) throws IOException {
    try {
      f.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RestoreException("restore interrupted", e);
    } catch (ExecutionException e) {
      Failures.rethrow(e.getCause());
    }
  }

  /** The SHA-256 verification data of {@code input} (stream sources record it), by entry path. */
  static Map<String, Verification> sha256Verifications(RestoreInput input) {
    Map<String, Verification> sha = new HashMap<>();
    for (Verification v : input.verifications()) {
      if ("sha256".equals(v.attributes().get("algorithm"))) {
        sha.put(v.item(), v);
      }
    }
    return sha;
  }

  static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public String toString() {
    return "DirectoryRestorer[" + destination + (overwrite ? ", overwrite" : "") + "]";
  }
}

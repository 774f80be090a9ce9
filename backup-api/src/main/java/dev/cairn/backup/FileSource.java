package dev.cairn.backup;

import dev.cairn.backup.internal.source.Failures;
import dev.cairn.backup.internal.source.FileMetadata;
import dev.cairn.backup.internal.source.Glob;
import dev.cairn.backup.spi.EntryMetadata;
import dev.cairn.backup.spi.EntryType;
import dev.cairn.backup.spi.Source;
import dev.cairn.backup.spi.SourceContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A directory tree to back up: a root and optional include and exclude globs, relative to the root
 * (or a single regular file, stored as one entry named after it).
 * Keeps file contents, POSIX modes, modification times, symlinks (verbatim, never followed) and empty
 * directories. Files whose size, modification time and inode are unchanged since the parent snapshot
 * are not read again.
 *
 * <p>Globs: {@code *} matches within one path segment, {@code ?} one character, {@code **} any number
 * of segments; a glob that matches a directory matches everything under it. With no include, the
 * whole tree is included; excludes win over includes. For example
 * {@code FileSource.of(Path.of("/etc/ansible")).include("group_vars/all.yaml", "roles/*}{@code /tasks/main.yaml")}.
 *
 * <p>File names are decoded by the JVM with the locale's encoding: run the JVM with a UTF-8 locale
 * (e.g. {@code LC_ALL=C.UTF-8}), or names that are not ASCII cannot be read back exactly; a warning is
 * logged when the encoding is not UTF-8. A name whose bytes are not valid UTF-8 (a Latin-1 name from
 * an old system) reads with U+FFFD in place of its bad bytes: it is stored and restored under that name
 * with a warning giving its bytes, or left out with a warning when another entry of its directory
 * already has that name; a symlink target that is not valid UTF-8 is stored the same way, with a warning.
 *
 * <p>Files that vanish or cannot be opened during the walk are reported as warnings (the snapshot is
 * marked incomplete); special files (devices, sockets, FIFOs) are skipped with a warning, and so is an
 * include glob that matched nothing (a renamed file or a typo would otherwise drop out unnoticed). Immutable
 * and thread-safe: the {@code include}/{@code exclude}/{@code name} methods return changed copies.
 */
public final class FileSource implements Source {
  /** The source type this source and {@link DirectoryRestorer} share. */
  public static final String TYPE = "files";
  private static final int BUFFER = 1 << 20;
  /**
   * Changed files waiting for a reader, at most: a queued file is a path and its metadata (a few hundred
   * bytes, a few KiB for the longest paths), and a deep queue lets the walk get through a large tree while the readers are busy with a few
   * large files instead of stalling behind them.
   */
  private static final int QUEUED_FILES = 1024;
  private static final Logger LOG = LoggerFactory.getLogger(FileSource.class);

  private final Path root;
  private final String name;
  private final List<String> includes;
  private final List<String> excludes;
  private final List<Glob> includeGlobs;
  private final List<Glob> excludeGlobs;
  private final int readers;
  private final boolean oneFileSystem;
  private final List<String> markers;
  private final long maxFileSize; // -1: no limit

  private FileSource(Path root, String name, List<String> includes, List<String> excludes, int readers,
      boolean oneFileSystem, List<String> markers, long maxFileSize) {
    this.root = root;
    this.maxFileSize = maxFileSize;
    this.name = name;
    this.readers = readers;
    this.includes = List.copyOf(includes);
    this.excludes = List.copyOf(excludes);
    this.includeGlobs = Glob.compileAll(includes);
    this.excludeGlobs = Glob.compileAll(excludes);
    this.oneFileSystem = oneFileSystem;
    this.markers = List.copyOf(markers);
  }

  /** The whole tree under {@code root}, as a source named {@code files}. */
  public static FileSource of(Path root) {
    Objects.requireNonNull(root, "root");
    return new FileSource(root.toAbsolutePath().normalize(), TYPE, List.of(), List.of(), 2, false, List.of(), -1);
  }

  /** A copy named {@code name} (unique within a plan; default {@code files}). */
  public FileSource name(String name) {
    Objects.requireNonNull(name, "name");
    if (name.isBlank()) {
      throw new IllegalArgumentException("source name must not be blank");
    }
    return new FileSource(root, name, includes, excludes, readers, oneFileSystem, markers, maxFileSize);
  }

  /**
   * A copy that includes only paths matching one of {@code globs} (added to earlier includes).
   *
   * @throws IllegalArgumentException if a glob is malformed
   */
  public FileSource include(String... globs) {
    List<String> all = new ArrayList<>(includes);
    all.addAll(List.of(globs));
    return new FileSource(root, name, all, excludes, readers, oneFileSystem, markers, maxFileSize);
  }

  /**
   * A copy that leaves out paths matching one of {@code globs} (added to earlier excludes).
   *
   * @throws IllegalArgumentException if a glob is malformed
   */
  public FileSource exclude(String... globs) {
    List<String> all = new ArrayList<>(excludes);
    all.addAll(List.of(globs));
    return new FileSource(root, name, includes, all, readers, oneFileSystem, markers, maxFileSize);
  }

  /**
   * A copy reading up to {@code readers} files at once (default 2), so reading, chunking and hashing
   * of small files overlap and several cores are kept busy; 1 reads strictly one file after another.
   */
  public FileSource readers(int readers) {
    if (readers < 1 || readers > 64) {
      throw new IllegalArgumentException("readers must be within 1..64, got " + readers);
    }
    return new FileSource(root, name, includes, excludes, readers, oneFileSystem, markers, maxFileSize);
  }

  /**
   * A copy that does not descend into directories on another file system than the root's (restic's and
   * borg's {@code --one-file-system}): a mount point under the root is kept as an empty directory, so
   * {@code /} is backed up without {@code /proc}, {@code /sys} or mounted network shares.
   */
  public FileSource oneFileSystem(boolean oneFileSystem) {
    return new FileSource(root, name, includes, excludes, readers, oneFileSystem, markers, maxFileSize);
  }

  /**
   * A copy that leaves out the contents of every directory holding one of {@code markers} (restic's
   * {@code --exclude-if-present}): a marker is a file name, or {@code NAME:HEADER} to require that the
   * file start with HEADER. The directory and the marker file itself are kept, so a restore shows why
   * the rest is missing.
   *
   * @throws IllegalArgumentException if a marker's name is empty or holds a '/'
   */
  public FileSource excludeIfPresent(String... markers) {
    List<String> all = new ArrayList<>(this.markers);
    for (String m : markers) {
      String file = m.contains(":") ? m.substring(0, m.indexOf(':')) : m;
      if (file.isEmpty() || file.contains("/")) {
        throw new IllegalArgumentException("exclude-if-present marker '" + m + "' must be a file name, optionally"
            + " followed by :HEADER");
      }
      all.add(m);
    }
    return new FileSource(root, name, includes, excludes, readers, oneFileSystem, all, maxFileSize);
  }

  /**
   * A copy that leaves out cache directories tagged by the Cache Directory Tagging Specification
   * (a {@code CACHEDIR.TAG} file starting with its signature), as restic's {@code --exclude-caches}.
   */
  public FileSource excludeCaches() {
    return excludeIfPresent(CACHEDIR_TAG);
  }

  /**
   * A copy that leaves out regular files larger than {@code bytes} (restic's {@code --exclude-larger-than}):
   * a stray disk image or core dump in a configuration tree is not backed up. Directories and
   * symlinks are not affected.
   *
   * @throws IllegalArgumentException if {@code bytes} is negative
   */
  public FileSource excludeLargerThan(long bytes) {
    if (bytes < 0) {
      throw new IllegalArgumentException("exclude-larger-than must not be negative, got " + bytes);
    }
    return new FileSource(root, name, includes, excludes, readers, oneFileSystem, markers, bytes);
  }

  /** The size above which files are left out, if one was set. */
  public java.util.OptionalLong excludeLargerThan() {
    return maxFileSize < 0 ? java.util.OptionalLong.empty() : java.util.OptionalLong.of(maxFileSize);
  }

  /** The marker of a cache directory: {@code CACHEDIR.TAG} with the specification's signature. */
  public static final String CACHEDIR_TAG = "CACHEDIR.TAG:Signature: 8a477f597d28d172789f06886806bc55";

  /** Whether directories on other file systems are left out. */
  public boolean oneFileSystem() {
    return oneFileSystem;
  }

  /** The markers of directories whose contents are left out. */
  public List<String> excludeIfPresent() {
    return markers;
  }

  /** The root directory (absolute). */
  public Path root() {
    return root;
  }

  /** The include globs; empty means everything. */
  public List<String> includes() {
    return includes;
  }

  /** The exclude globs. */
  public List<String> excludes() {
    return excludes;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public void check() {
    if (!Files.isDirectory(root) && !Files.isRegularFile(root, LinkOption.NOFOLLOW_LINKS)) {
      throw new SourceException("source '" + name + "': root " + root + " is neither a readable directory nor a"
          + " regular file; check the path");
    }
  }

  @Override
  public void backup(SourceContext context) throws IOException {
    check();
    String encoding = System.getProperty("sun.jnu.encoding", "UTF-8");
    if (!encoding.equalsIgnoreCase("UTF-8")) {
      LOG.warn("source '{}': the JVM decodes file names as {}, so names that are not ASCII will not back up "
          + "exactly; run it with a UTF-8 locale such as LC_ALL=C.UTF-8", name, encoding);
    }
    context.putMetadata("root", root.toString());
    if (!includes.isEmpty()) {
      context.putMetadata("include", String.join(",", includes));
    }
    if (!excludes.isEmpty()) {
      context.putMetadata("exclude", String.join(",", excludes));
    }
    if (oneFileSystem) {
      context.putMetadata("one-file-system", "true");
    }
    if (!markers.isEmpty()) {
      context.putMetadata("exclude-if-present", String.join(",", markers));
    }
    if (maxFileSize >= 0) {
      context.putMetadata("exclude-larger-than", Long.toString(maxFileSize));
    }
    Readers pool = new Readers(readers);
    try {
      if (Files.isRegularFile(root, LinkOption.NOFOLLOW_LINKS)) {
        // a single file: one entry named after it
        EntryMetadata meta = FileMetadata.read(root, root.getFileName().toString());
        String path = meta.path();
        // the same globs as for a file in a tree: 'backup FILE --exclude GLOB' leaves it out if GLOB matches it
        boolean included = !Glob.any(excludeGlobs, path) && (includeGlobs.isEmpty() || pool.included(path));
        if (included && (maxFileSize < 0 || meta.size() <= maxFileSize)) {
          pool.submit(context, root, meta, new Pending("", null));
        }
      } else {
        // a root given as a symlink to a directory is walked through the link: its device is the target's,
        // else every subdirectory of a target on another file system looks like a mount point and stays empty
        walk(context, root, pool, oneFileSystem ? rootDevice(root) : null);
      }
      pool.finish();
    } finally {
      pool.shutdown();
    }
    for (int i = 0; i < includes.size(); i++) {
      if (!pool.includeMatched[i]) {
        // a renamed file (main.yml for main.yaml) or a typo would otherwise leave it out of every backup
        // without a word; borg warns the same way
        context.warn(includes.get(i), "include '" + includes.get(i) + "' matched nothing under " + root
            + "; check the pattern against the files there");
      }
    }
  }

  /**
   * Reads files on a few threads with a bounded queue; the first failure is rethrown by
   * {@link #finish()} (and stops new submissions).
   */
  private final class Readers {
    private final ExecutorService executor;
    private final Semaphore queue;
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final ThreadLocal<byte[]> buffers = ThreadLocal.withInitial(() -> new byte[BUFFER]);
    /** Which include globs matched an entry of this backup; set by the walking thread only. */
    final boolean[] includeMatched = new boolean[includeGlobs.size()];

    Readers(int threads) {
      this.executor = threads == 1 ? null : Executors.newFixedThreadPool(threads, r -> {
        Thread t = new Thread(r, "cairn-read-" + name);
        t.setDaemon(true);
        return t;
      });
      this.queue = new Semaphore(QUEUED_FILES);
    }

    /** Whether an include glob matches {@code path}, noting each one that does. */
    boolean included(String path) {
      boolean any = false;
      for (int i = 0; i < includeMatched.length; i++) {
        if (!(any && includeMatched[i]) && includeGlobs.get(i).matches(path)) {
          includeMatched[i] = true;
          any = true;
        }
      }
      return any;
    }

    void submit(SourceContext context, Path file, EntryMetadata meta, Pending pending) throws IOException {
      rethrow();
      // An unchanged file costs a lookup, not a read: settled here, so the walk never queues thousands of
      // them behind the few large changed files the readers are busy with.
      Optional<EntryMetadata> parent = context.parentEntry(meta.path());
      if (parent.isPresent() && unchanged(parent.get(), meta)) {
        context.reuseParentEntry(meta);
        return;
      }
      if (executor == null) {
        addFile(context, file, meta, buffers.get());
        return;
      }
      queue.acquireUninterruptibly();
      pending.add();
      try {
        executor.execute(() -> {
          try {
            try {
              if (failure.get() == null) {
                addFile(context, file, meta, buffers.get());
              }
            } finally {
              queue.release();
            }
            pending.done(context); // the file is in: its directory may be complete now
          } catch (Throwable t) {
            failure.compareAndSet(null, t);
          }
        });
      } catch (RuntimeException e) {
        queue.release();
        throw e;
      }
    }

    void finish() throws IOException {
      if (executor != null) {
        executor.shutdown();
        try {
          while (!executor.awaitTermination(1, TimeUnit.SECONDS)) {
            // waiting for the readers to drain
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new SourceException("source '" + name + "': interrupted while reading files", e);
        }
      }
      rethrow();
    }

    void shutdown() {
      if (executor != null) {
        executor.shutdownNow();
      }
    }

    private void rethrow() throws IOException {
      Failures.rethrow(failure.get());
    }
  }

  /**
   * Backs up the tree below {@code root}, depth first. With {@code rootDevice} (one file system),
   * subdirectories on another device are kept empty. The walk keeps a stack of its own, not the
   * thread's: a tree nested a few thousand directories deep (a 4,000-byte path of short names) would
   * overflow the thread's stack.
   */
  private void walk(SourceContext context, Path root, Readers readers, Object rootDevice) throws IOException {
    Deque<Directory> stack = new ArrayDeque<>();
    stack.push(list(context, root, "", readers, null, new Pending("", null)));
    while (true) {
      Directory d = stack.peek();
      if (d.next < d.subdirectories.size()) {
        Subdirectory sub = d.subdirectories.get(d.next++);
        Object device = rootDevice == null ? null : device(sub.dir());
        if (device != null && !rootDevice.equals(device)) {
          // another file system mounted here: the mount point stays, what is on it does not
          if (sub.included()) {
            warnRenamed(context, sub.meta().path(), sub.rawName());
            context.addDirectory(sub.meta());
            d.added = true;
          }
          continue;
        }
        stack.push(list(context, sub.dir(), sub.meta().path(), readers, sub, new Pending(sub.meta().path(), d.pending)));
        continue;
      }
      stack.pop();
      if (d.self == null) {
        return; // the root: its tree is written when the source ends
      }
      if (d.added || d.self.included()) {
        warnRenamed(context, d.self.meta().path(), d.self.rawName());
        context.addDirectory(d.self.meta());
        stack.peek().added = true;
      }
      d.pending.done(context); // walked: complete once its files being read are in
    }
  }

  /**
   * What may still be added below a directory: its walk, its files being read and its subdirectories
   * not yet complete. At zero it is reported {@linkplain SourceContext#directoryComplete complete}, so
   * the backup writes its tree and forgets its entries, and its parent has one less to wait for.
   */
  private static final class Pending {
    final String path; // "" for the root, which is never reported: the backup writes it at the end
    final Pending up;
    final AtomicInteger count = new AtomicInteger(1);

    Pending(String path, Pending up) {
      this.path = path;
      this.up = up;
      if (up != null) {
        up.add();
      }
    }

    void add() {
      count.incrementAndGet();
    }

    /** One less to wait for; a directory that reaches zero is complete, and so one less for its parent. */
    void done(SourceContext context) {
      for (Pending p = this; p != null && p.count.decrementAndGet() == 0; p = p.up) {
        if (!p.path.isEmpty()) {
          context.directoryComplete(p.path);
        }
      }
    }
  }

  /** A directory being walked: its subdirectories still to walk and whether anything was added below it. */
  private static final class Directory {
    final Subdirectory self; // null for the root
    final List<Subdirectory> subdirectories;
    final Pending pending;
    int next;
    boolean added;

    Directory(Subdirectory self, List<Subdirectory> subdirectories, boolean added, Pending pending) {
      this.self = self;
      this.subdirectories = subdirectories;
      this.added = added;
      this.pending = pending;
    }
  }

  /**
   * Backs up the files and symlinks in {@code dir} and returns it with its subdirectories, to be walked
   * next ({@code self} is the subdirectory {@code dir} is, null for the root).
   */
  private Directory list(SourceContext context, Path dir, String prefix, Readers readers, Subdirectory self,
      Pending pending) throws IOException {
    List<Path> children = new ArrayList<>();
    try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir)) {
      stream.forEach(children::add);
    } catch (NoSuchFileException | AccessDeniedException e) {
      context.warn(prefix.isEmpty() ? "." : prefix, "cannot list directory: " + e);
      return new Directory(self, List.of(), false, pending);
    }
    children.sort(null);
    List<Path> markerFiles = markerFiles(children);
    if (!markerFiles.isEmpty()) {
      children = markerFiles; // only the marker stays, so a restore shows why the rest is missing
    }
    boolean added = false;
    // A directory's own files are handed to the readers before its subdirectories are walked: a large
    // changed file near the top of a tree starts reading before thousands of small files below it are
    // looked at. Trees are sorted when they are built, so the order leaves no trace in the snapshot.
    List<Subdirectory> subdirectories = new ArrayList<>();
    // the names entries of this directory are stored under: a name that is not valid UTF-8 reads as one
    // with U+FFFD, which may be another entry's; the names that read back exactly come first. Only a
    // directory with such a name needs them (a name with U+FFFD is rare), so the walk stays as cheap
    Set<String> names = null;
    for (Path child : children) {
      if (child.getFileName().toString().indexOf('\uFFFD') >= 0) {
        names = new HashSet<>();
        for (Path c : children) {
          if (undecodable(c) == null) {
            names.add(c.getFileName().toString());
          }
        }
        break;
      }
    }
    for (Path child : children) {
      String path = prefix.isEmpty() ? child.getFileName().toString() : prefix + "/" + child.getFileName();
      if (Glob.any(excludeGlobs, path)) {
        continue;
      }
      String rawName = names == null ? null : undecodable(child);
      if (rawName != null && !names.add(child.getFileName().toString())) {
        context.warn(path, "name is not valid UTF-8 (its bytes: '" + rawName + "') and reads as the name of"
            + " another entry in its directory: left out; rename it");
        continue;
      }
      EntryMetadata meta;
      try {
        meta = FileMetadata.read(child, path);
      } catch (NoSuchFileException e) {
        continue; // vanished between listing and stat: it was never part of the snapshot
      } catch (IOException e) {
        context.warn(path, "cannot read metadata: " + e);
        continue;
      }
      boolean included = includeGlobs.isEmpty() || readers.included(path);
      if (meta == null) {
        if (included) { // one no include asks for is not an input the snapshot lacks
          context.warn(path, "special file skipped (device, socket or FIFO)");
        }
        continue;
      }
      if (rawName != null && included && meta.type() != EntryType.DIRECTORY) {
        warnRenamed(context, path, rawName);
      }
      switch (meta.type()) {
        case DIRECTORY -> subdirectories.add(new Subdirectory(child, meta, included, rawName));
        case SYMLINK -> {
          if (included) {
            try {
              Path target = Files.readSymbolicLink(child);
              if (target.toString().indexOf('\uFFFD') >= 0 && !validUtf8(target.toUri().getRawPath())) {
                context.warn(path, "symlink target is not valid UTF-8: stored and restored as '" + target + "'");
              }
              context.addSymlink(meta, target.toString());
              added = true;
            } catch (IOException e) {
              context.warn(path, "cannot read symlink: " + e);
            }
          }
        }
        case FILE -> {
          if (included && (maxFileSize < 0 || meta.size() <= maxFileSize)) {
            // counted as added even if it vanishes before it is read: its directory is kept then
            readers.submit(context, child, meta, pending);
            added = true;
          }
        }
      }
    }
    return new Directory(self, subdirectories, added, pending);
  }

  private record Subdirectory(Path dir, EntryMetadata meta, boolean included, String rawName) {}

  /**
   * Null if the last name of {@code p} is valid UTF-8, else its bytes as a URI escapes them
   * ({@code lat%E9}): under a UTF-8 locale the JVM reads such a name with U+FFFD in place of its bad
   * bytes, so the string names another file, or none.
   */
  static String undecodable(Path p) {
    Path name = p.getFileName();
    if (name == null || name.toString().indexOf('\uFFFD') < 0) {
      return null; // a name that is not valid UTF-8 always reads with U+FFFD
    }
    String uri = p.toAbsolutePath().toUri().getRawPath();
    uri = uri.endsWith("/") ? uri.substring(0, uri.length() - 1) : uri; // a directory's URI ends with '/'
    String raw = uri.substring(uri.lastIndexOf('/') + 1);
    return validUtf8(raw) ? null : raw;
  }

  /** Whether the bytes a URI's raw path segment {@code escaped} stands for are valid UTF-8. */
  private static boolean validUtf8(String escaped) {
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    for (int i = 0; i < escaped.length(); i++) {
      char c = escaped.charAt(i);
      if (c == '%' && i + 2 < escaped.length()) {
        bytes.write(Integer.parseInt(escaped.substring(i + 1, i + 3), 16));
        i += 2;
      } else {
        bytes.write(c); // the URI's other characters are ASCII
      }
    }
    try {
      java.nio.charset.StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
          .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT)
          .decode(java.nio.ByteBuffer.wrap(bytes.toByteArray()));
      return true;
    } catch (java.nio.charset.CharacterCodingException e) {
      return false;
    }
  }

  private static void warnRenamed(SourceContext context, String path, String rawName) {
    if (rawName != null) {
      context.warn(path, "name is not valid UTF-8 (its bytes: '" + rawName + "'): stored and restored as '"
          + path.substring(path.lastIndexOf('/') + 1) + "'; rename it to keep its name");
    }
  }

  /** The file system (device) {@code dir} is on; null if it cannot be told (then it is walked). */
  private static Object device(Path dir) {
    try {
      return Files.getAttribute(dir, "unix:dev", LinkOption.NOFOLLOW_LINKS);
    } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
      return null;
    }
  }

  /** The device of the root directory, through a symlink (the walk lists the root through it too). */
  private static Object rootDevice(Path dir) {
    try {
      return Files.getAttribute(dir, "unix:dev");
    } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
      return null;
    }
  }

  /** The children of a directory that are markers making its other contents left out (empty if none). */
  private List<Path> markerFiles(List<Path> children) {
    if (markers.isEmpty()) {
      return List.of();
    }
    List<Path> found = new ArrayList<>();
    for (String marker : markers) {
      int colon = marker.indexOf(':');
      String file = colon < 0 ? marker : marker.substring(0, colon);
      for (Path child : children) {
        if (child.getFileName().toString().equals(file) && Files.isRegularFile(child, LinkOption.NOFOLLOW_LINKS)
            && (colon < 0 || startsWith(child, marker.substring(colon + 1))) && !found.contains(child)) {
          found.add(child);
        }
      }
    }
    return found;
  }

  private static boolean startsWith(Path file, String header) {
    byte[] want = header.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    try (InputStream in = Files.newInputStream(file)) {
      return java.util.Arrays.equals(in.readNBytes(want.length), want);
    } catch (IOException e) {
      return false;
    }
  }

  private boolean addFile(SourceContext context, Path file, EntryMetadata meta, byte[] buffer) throws IOException {
    InputStream in;
    try {
      in = Files.newInputStream(file);
    } catch (NoSuchFileException e) {
      return false;
    } catch (IOException e) {
      context.warn(meta.path(), "cannot open file: " + e);
      return false;
    }
    try (in; OutputStream out = context.newFile(meta)) {
      int n;
      while ((n = in.read(buffer)) >= 0) {
        out.write(buffer, 0, n);
      }
    } catch (IOException e) {
      throw new SourceException("source '" + name + "': reading " + file + " failed: " + e.getMessage(), e);
    }
    // a file written while it was read is stored as a mix of old and new bytes: say so (the snapshot is
    // marked incomplete); its recorded time is the one from before the read, so the next backup reads it again
    // A path that is gone or names another file now was deleted or replaced (renamed over: ansible,
    // editors, package managers): the open file was read to its end, whole, so nothing is torn.
    EntryMetadata after;
    try {
      after = FileMetadata.read(file, meta.path());
    } catch (IOException e) {
      after = null;
    }
    if (after != null && after.inode() == meta.inode() && (after.size() != meta.size()
        || !Objects.equals(after.modifiedTime(), meta.modifiedTime()))) {
      context.warn(meta.path(), "file changed while it was backed up (its size or modification time differ"
          + " after reading it); its copy in this snapshot may mix old and new bytes");
    }
    return true;
  }

  private static boolean unchanged(EntryMetadata parent, EntryMetadata now) {
    return parent.type() == EntryType.FILE
        && parent.size() == now.size()
        && parent.inode() != 0 && parent.inode() == now.inode()
        && Objects.equals(parent.modifiedTime(), now.modifiedTime());
  }

  @Override
  public String toString() {
    return "FileSource[" + name + ": " + root + "]";
  }
}

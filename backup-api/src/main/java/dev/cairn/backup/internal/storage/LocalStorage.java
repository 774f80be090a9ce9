package dev.cairn.backup.internal.storage;

import dev.cairn.backup.spi.Storage;
import dev.cairn.backup.spi.StorageNames;
import dev.cairn.backup.spi.StorageObject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * A storage in a local directory: the embedded default. Writes go to a temporary file in the same
 * directory, are fsynced, renamed into place and the directory is fsynced, so an object is either
 * absent or whole after a crash or a full disk. Thread-safe.
 */
public final class LocalStorage implements Storage {
  private static final String TMP_SUFFIX = ".cairn-tmp";
  private final Path root;
  /** Directories known durable: found existing, or created and their parents fsynced by this storage. */
  private final java.util.Set<Path> durableDirs = java.util.concurrent.ConcurrentHashMap.newKeySet();

  /** Opens (and creates if needed) a storage rooted at {@code root}. */
  public LocalStorage(Path root) {
    this.root = root.toAbsolutePath().normalize();
  }

  /** The root directory. */
  public Path root() {
    return root;
  }

  @Override
  public String location() {
    return "local:" + root;
  }

  /** One: a local disk answers without a round trip. */
  @Override
  public int removeLeftovers(java.time.Instant before) throws IOException {
    if (!Files.isDirectory(root)) {
      return 0;
    }
    int[] removed = {0};
    Files.walkFileTree(root, new SimpleFileVisitor<Path>() {
      @Override
      public FileVisitResult visitFile(Path p, BasicFileAttributes attrs) throws IOException {
        if (p.getFileName().toString().endsWith(TMP_SUFFIX) && attrs.lastModifiedTime().toInstant().isBefore(before)
            && Files.deleteIfExists(p)) {
          removed[0]++;
        }
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFileFailed(Path p, IOException e) throws IOException {
        if (e instanceof NoSuchFileException) {
          return FileVisitResult.CONTINUE;
        }
        throw e;
      }
    });
    return removed[0];
  }

  @Override
  public int parallelReads() {
    return 1;
  }

  private Path resolve(String name) {
    return root.resolve(StorageNames.check(name));
  }

  private static final int WRITE_SLICE = 1024 * 1024;

  @Override
  public void put(String name, ByteBuffer content) throws IOException {
    Path target = resolve(name);
    Path dir = target.getParent();
    if (!durableDirs.contains(dir)) {
      // a new directory's own entry must survive a crash too, or a pack fsynced into data/ab/ could
      // vanish with the directory while an index naming it survives. Under one lock, so that a thread
      // finding the directory just created by another does not return before that one's fsync
      synchronized (durableDirs) {
        if (!durableDirs.contains(dir)) {
          if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir);
            for (Path d = dir; !d.equals(root) && d.startsWith(root); d = d.getParent()) {
              fsyncDirectory(d.getParent());
            }
          }
          durableDirs.add(dir);
        }
      }
    }
    Path tmp = dir.resolve("." + target.getFileName() + "." + UUID.randomUUID() + TMP_SUFFIX);
    try {
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
        // write in slices: NIO copies a heap buffer through a per-thread cached direct buffer of the
        // write's size, which for whole packs would pin tens of MiB of native memory per thread
        ByteBuffer src = content.duplicate();
        int end = src.limit();
        while (src.position() < end) {
          src.limit(Math.min(end, src.position() + WRITE_SLICE));
          ch.write(src);
        }
        ch.force(true);
      }
      try {
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        throw new IOException("file system of " + root + " cannot rename atomically", e);
      }
      fsyncDirectory(dir);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  private static final boolean DIRECTORY_FSYNC_OPTIONAL =
      System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).startsWith("windows");

  private static void fsyncDirectory(Path dir) throws IOException {
    // Linux and the BSDs fsync a directory opened for reading, and an error there (EIO) means the rename
    // may not be durable: it fails the put. Windows cannot open a directory this way, and some FUSE and
    // network file systems do not implement a directory fsync (EINVAL, ENOSYS, ENOTSUP): best effort there.
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException e) {
      String m = String.valueOf(e.getMessage());
      boolean unsupported = m.contains("Invalid argument") || m.contains("not implemented")
          || m.contains("not supported");
      if (!DIRECTORY_FSYNC_OPTIONAL && !unsupported) {
        throw new IOException("cannot make the directory " + dir + " durable (fsync): " + e.getMessage(), e);
      }
    }
  }

  @Override
  public InputStream get(String name, long offset, long length) throws IOException {
    if (offset < 0) {
      throw new IllegalArgumentException("offset must not be negative: " + offset);
    }
    Path path = resolve(name);
    SeekableByteChannel ch;
    try {
      ch = Files.newByteChannel(path, StandardOpenOption.READ);
    } catch (NoSuchFileException e) {
      throw new NoSuchFileException(name, null, "no object '" + name + "' in " + location());
    }
    try {
      ch.position(offset);
    } catch (IOException e) {
      ch.close();
      throw e;
    }
    InputStream in = Channels.newInputStream(ch);
    return length < 0 ? in : new BoundedInputStream(in, length);
  }

  @Override
  public List<StorageObject> list(String prefix) throws IOException {
    StorageNames.checkPrefix(prefix);
    int slash = prefix.lastIndexOf('/');
    Path start = slash < 0 ? root : root.resolve(prefix.substring(0, slash));
    if (!Files.isDirectory(start)) {
      return List.of();
    }
    List<StorageObject> out = new ArrayList<>();
    // Not Files.walk: its iterator throws when an entry vanishes between the directory read and its
    // stat (a concurrent put's temporary file renamed into place, a lock deleted by its refresh), which
    // ended the listing early and silently. Entries that vanish are skipped; the walk goes on.
    Files.walkFileTree(start, new SimpleFileVisitor<Path>() {
      @Override
      public FileVisitResult visitFile(Path p, BasicFileAttributes attrs) {
        String fileName = p.getFileName().toString();
        if (attrs.isSymbolicLink()) {
          // an object file linked from elsewhere (as Files.walk's listing followed): its target's attributes
          try {
            attrs = Files.readAttributes(p, BasicFileAttributes.class);
          } catch (IOException gone) {
            return FileVisitResult.CONTINUE; // a dangling link is no object
          }
        }
        if (!fileName.endsWith(TMP_SUFFIX) && attrs.isRegularFile()) {
          String name = root.relativize(p).toString().replace('\\', '/');
          if (name.startsWith(prefix)) {
            out.add(new StorageObject(name, attrs.size()));
          }
        }
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFileFailed(Path p, IOException e) throws IOException {
        if (e instanceof NoSuchFileException) {
          return FileVisitResult.CONTINUE; // deleted while listing
        }
        throw e;
      }

      @Override
      public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
        if (e != null && !(e instanceof NoSuchFileException)) {
          throw e;
        }
        return FileVisitResult.CONTINUE;
      }
    });
    return out;
  }

  @Override
  public void delete(String name) throws IOException {
    Files.deleteIfExists(resolve(name));
  }

  @Override
  public Optional<StorageObject> stat(String name) throws IOException {
    Path p = resolve(name);
    try {
      BasicFileAttributes attrs = Files.readAttributes(p, BasicFileAttributes.class);
      return attrs.isRegularFile() ? Optional.of(new StorageObject(name, attrs.size())) : Optional.empty();
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
  }

  @Override
  public Optional<java.time.Instant> modified(String name) throws IOException {
    try {
      BasicFileAttributes attrs = Files.readAttributes(resolve(name), BasicFileAttributes.class);
      return attrs.isRegularFile() ? Optional.of(attrs.lastModifiedTime().toInstant()) : Optional.empty();
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
  }

  /** Creates the root directory if it does not exist. */
  public LocalStorage createRoot() throws IOException {
    try {
      Files.createDirectories(root);
    } catch (FileAlreadyExistsException e) {
      throw new IOException("repository path " + root + " exists and is not a directory", e);
    }
    return this;
  }

  @Override
  public void close() {}

  @Override
  public String toString() {
    return location();
  }

  /** Reads at most {@code remaining} bytes of the wrapped stream. */
  private static final class BoundedInputStream extends InputStream {
    private final InputStream in;
    private long remaining;

    BoundedInputStream(InputStream in, long remaining) {
      this.in = in;
      this.remaining = remaining;
    }

    @Override
    public int read() throws IOException {
      if (remaining <= 0) {
        return -1;
      }
      int b = in.read();
      if (b >= 0) {
        remaining--;
      }
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (remaining <= 0) {
        return -1;
      }
      int n = in.read(b, off, (int) Math.min(len, remaining));
      if (n > 0) {
        remaining -= n;
      }
      return n;
    }

    @Override
    public void close() throws IOException {
      in.close();
    }
  }
}

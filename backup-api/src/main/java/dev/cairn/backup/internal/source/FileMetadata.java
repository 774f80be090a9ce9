package dev.cairn.backup.internal.source;

import dev.cairn.backup.spi.EntryMetadata;
import dev.cairn.backup.spi.EntryType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Map;

/** Reads POSIX metadata of a file without following symlinks, in one system call. */
public final class FileMetadata {
  private static final int S_IFMT = 0170000;
  private static final int S_IFDIR = 0040000;
  private static final int S_IFREG = 0100000;
  private static final int S_IFLNK = 0120000;

  private FileMetadata() {}

  /**
   * Reads the metadata of {@code file} as entry {@code path}; returns {@code null} for special files
   * (devices, sockets, FIFOs), which sources skip.
   */
  public static EntryMetadata read(Path file, String path) throws IOException {
    Map<String, Object> a = Files.readAttributes(file, "unix:mode,ino,size,lastModifiedTime", LinkOption.NOFOLLOW_LINKS);
    int mode = (Integer) a.get("mode");
    EntryType type = switch (mode & S_IFMT) {
      case S_IFDIR -> EntryType.DIRECTORY;
      case S_IFREG -> EntryType.FILE;
      case S_IFLNK -> EntryType.SYMLINK;
      default -> null;
    };
    if (type == null) {
      return null;
    }
    long size = type == EntryType.FILE ? (Long) a.get("size") : 0;
    FileTime mtime = (FileTime) a.get("lastModifiedTime");
    return new EntryMetadata(path, type, size, mtime.toInstant(), mode & 07777, (Long) a.get("ino"), Map.of());
  }
}

package dev.cairn.backup;

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
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A directory tree to back up: a root and optional include and exclude globs, relative to the root.
 * Keeps file contents, POSIX modes, modification times, symlinks (verbatim, never followed) and empty
 * directories. Files whose size, modification time and inode are unchanged since the parent snapshot
 * are not read again.
 *
 * <p>Globs: {@code *} matches within one path segment, {@code ?} one character, {@code **} any number
 * of segments; a glob that matches a directory matches everything under it. With no include, the
 * whole tree is included; excludes win over includes. For example
 * {@code FileSource.of(Path.of("/etc/ansible")).include("group_vars/all.yaml", "roles/*}{@code /tasks/main.yaml")}.
 *
 * <p>Files that vanish or cannot be opened during the walk are reported as warnings (the snapshot is
 * marked incomplete); special files (devices, sockets, FIFOs) are skipped with a warning. Immutable
 * and thread-safe: the {@code include}/{@code exclude}/{@code name} methods return changed copies.
 */
public final class FileSource implements Source {
  /** The source type this source and {@link DirectoryRestorer} share. */
  public static final String TYPE = "files";
  private static final int BUFFER = 1 << 20;

  private final Path root;
  private final String name;
  private final List<String> includes;
  private final List<String> excludes;
  private final List<Glob> includeGlobs;
  private final List<Glob> excludeGlobs;

  private FileSource(Path root, String name, List<String> includes, List<String> excludes) {
    this.root = root;
    this.name = name;
    this.includes = List.copyOf(includes);
    this.excludes = List.copyOf(excludes);
    this.includeGlobs = Glob.compileAll(includes);
    this.excludeGlobs = Glob.compileAll(excludes);
  }

  /** The whole tree under {@code root}, as a source named {@code files}. */
  public static FileSource of(Path root) {
    Objects.requireNonNull(root, "root");
    return new FileSource(root.toAbsolutePath().normalize(), TYPE, List.of(), List.of());
  }

  /** A copy named {@code name} (unique within a plan; default {@code files}). */
  public FileSource name(String name) {
    Objects.requireNonNull(name, "name");
    if (name.isBlank()) {
      throw new IllegalArgumentException("source name must not be blank");
    }
    return new FileSource(root, name, includes, excludes);
  }

  /**
   * A copy that includes only paths matching one of {@code globs} (added to earlier includes).
   *
   * @throws IllegalArgumentException if a glob is malformed
   */
  public FileSource include(String... globs) {
    List<String> all = new ArrayList<>(includes);
    all.addAll(List.of(globs));
    return new FileSource(root, name, all, excludes);
  }

  /**
   * A copy that leaves out paths matching one of {@code globs} (added to earlier excludes).
   *
   * @throws IllegalArgumentException if a glob is malformed
   */
  public FileSource exclude(String... globs) {
    List<String> all = new ArrayList<>(excludes);
    all.addAll(List.of(globs));
    return new FileSource(root, name, includes, all);
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
    if (!Files.isDirectory(root)) {
      throw new SourceException("source '" + name + "': root " + root + " is not a readable directory");
    }
  }

  @Override
  public void backup(SourceContext context) throws IOException {
    check();
    context.putMetadata("root", root.toString());
    if (!includes.isEmpty()) {
      context.putMetadata("include", String.join(",", includes));
    }
    if (!excludes.isEmpty()) {
      context.putMetadata("exclude", String.join(",", excludes));
    }
    walk(context, root, "", new byte[BUFFER]);
  }

  /** Backs up the children of {@code dir}; returns true if anything was added. */
  private boolean walk(SourceContext context, Path dir, String prefix, byte[] buffer) throws IOException {
    List<Path> children = new ArrayList<>();
    try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir)) {
      stream.forEach(children::add);
    } catch (NoSuchFileException | AccessDeniedException e) {
      context.warn(prefix.isEmpty() ? "." : prefix, "cannot list directory: " + e);
      return false;
    }
    children.sort(null);
    boolean added = false;
    for (Path child : children) {
      String path = prefix.isEmpty() ? child.getFileName().toString() : prefix + "/" + child.getFileName();
      if (Glob.any(excludeGlobs, path)) {
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
      if (meta == null) {
        context.warn(path, "special file skipped (device, socket or FIFO)");
        continue;
      }
      boolean included = includeGlobs.isEmpty() || Glob.any(includeGlobs, path);
      switch (meta.type()) {
        case DIRECTORY -> {
          if (walk(context, child, path, buffer) || included) {
            context.addDirectory(meta);
            added = true;
          }
        }
        case SYMLINK -> {
          if (included) {
            try {
              context.addSymlink(meta, Files.readSymbolicLink(child).toString());
              added = true;
            } catch (IOException e) {
              context.warn(path, "cannot read symlink: " + e);
            }
          }
        }
        case FILE -> {
          if (included) {
            added |= addFile(context, child, meta, buffer);
          }
        }
      }
    }
    return added;
  }

  private boolean addFile(SourceContext context, Path file, EntryMetadata meta, byte[] buffer) throws IOException {
    Optional<EntryMetadata> parent = context.parentEntry(meta.path());
    if (parent.isPresent() && unchanged(parent.get(), meta)) {
      context.reuseParentEntry(meta);
      return true;
    }
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

package dev.cairn.backup.spi;

/** The kind of an entry in a source's tree. */
public enum EntryType {
  /** A stream of bytes: a file, a table dump, a window of points. */
  FILE,
  /** A directory; directories are also implied by the paths of their children. */
  DIRECTORY,
  /** A symbolic link; its target is kept verbatim. */
  SYMLINK
}

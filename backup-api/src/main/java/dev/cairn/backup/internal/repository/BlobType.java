package dev.cairn.backup.internal.repository;

/** What a blob in a pack holds; stored as one byte in pack headers and indexes. */
public enum BlobType {
  /** A chunk of file or stream content. */
  DATA(0),
  /** A serialized tree (directory listing) written by the engine. */
  TREE(1);

  private final int id;

  BlobType(int id) {
    this.id = id;
  }

  /** The byte stored in the format. */
  public int id() {
    return id;
  }

  /**
   * Returns the type with format id {@code id}.
   *
   * @throws IllegalArgumentException for an unknown id
   */
  public static BlobType fromId(int id) {
    return switch (id) {
      case 0 -> DATA;
      case 1 -> TREE;
      default -> throw new IllegalArgumentException("unknown blob type id " + id);
    };
  }
}

package dev.cairn.backup.spi;

import java.util.Objects;

/**
 * One object in a {@link Storage}: its name and size in bytes.
 *
 * @param name the object's name, as given to {@link Storage#put}
 * @param size the object's size in bytes
 */
public record StorageObject(String name, long size) {
  public StorageObject {
    Objects.requireNonNull(name, "name");
    if (size < 0) {
      throw new IllegalArgumentException("size must not be negative: " + size);
    }
  }
}

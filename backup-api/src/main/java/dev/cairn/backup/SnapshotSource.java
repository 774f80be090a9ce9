package dev.cairn.backup;

import dev.cairn.backup.spi.Verification;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One source's part of a {@link Snapshot}.
 *
 * @param name the source's name in the plan
 * @param type the source type ({@code files}, {@code stream}, {@code mysql}, {@code influx})
 * @param tree id of the root tree of the source's entries
 * @param metadata source metadata (binlog coordinates, server version, …)
 * @param verifications verification data recorded at backup time
 * @param entries number of entries
 * @param bytes content bytes of all file entries
 */
public record SnapshotSource(
    String name,
    String type,
    ObjectId tree,
    Map<String, String> metadata,
    List<Verification> verifications,
    long entries,
    long bytes) {
  /** Checks the values and copies the lists. */
  public SnapshotSource {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(tree, "tree");
    metadata = Map.copyOf(metadata);
    verifications = List.copyOf(verifications);
  }
}

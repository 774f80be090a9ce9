package dev.cairn.backup;

/**
 * Sizes of a repository.
 *
 * @param snapshots snapshot objects
 * @param packs pack files
 * @param dataBlobs distinct content chunks
 * @param treeBlobs distinct trees
 * @param rawBytes plaintext bytes of all distinct chunks and trees (after deduplication, before
 *     compression)
 * @param storedBytes bytes in storage: packs, indexes, snapshots, keys and config
 * @param logicalBytes content bytes of all snapshots added up (before deduplication); the ratio to
 *     {@code storedBytes} is what deduplication and compression saved
 */
public record RepositoryStats(
    long snapshots, long packs, long dataBlobs, long treeBlobs, long rawBytes, long storedBytes, long logicalBytes) {}

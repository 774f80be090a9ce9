package dev.cairn.backup.internal.repository;

/**
 * Counters of a repository: what the index holds, and what this session added.
 *
 * @param packs packs in the index
 * @param dataBlobs data blobs in the index
 * @param treeBlobs tree blobs in the index
 * @param storedBytes stored (compressed, encrypted) bytes of all indexed blobs
 * @param uncompressedBytes plaintext bytes of all indexed blobs
 * @param addedBlobs blobs added in this session (not counting duplicates)
 * @param addedBytes plaintext bytes of the blobs added in this session
 * @param addedStoredBytes stored bytes of the blobs added in this session
 * @param uploadedPackBytes bytes of pack files uploaded in this session (blobs plus headers)
 */
public record RepositoryStats(long packs, long dataBlobs, long treeBlobs, long storedBytes, long uncompressedBytes,
    long addedBlobs, long addedBytes, long addedStoredBytes, long uploadedPackBytes) {}

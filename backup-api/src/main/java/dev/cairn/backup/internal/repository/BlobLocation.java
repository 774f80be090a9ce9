package dev.cairn.backup.internal.repository;

import dev.cairn.backup.ObjectId;
import dev.cairn.backup.internal.compress.Codec;

/**
 * Where a blob is stored: an entry of a pack header or of the index.
 *
 * @param id the blob id (HMAC-SHA-256 of the plaintext under the repository's id key)
 * @param type data or tree
 * @param pack the id of the pack holding it
 * @param offset offset of the encrypted blob in the pack file
 * @param length stored length (ciphertext including the 16-byte tag)
 * @param uncompressedLength plaintext length
 * @param codec how the plaintext was compressed before encryption
 */
public record BlobLocation(ObjectId id, BlobType type, ObjectId pack, long offset, int length,
    int uncompressedLength, Codec codec) {}

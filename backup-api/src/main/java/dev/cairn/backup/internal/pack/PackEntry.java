package dev.cairn.backup.internal.pack;

import dev.cairn.backup.ObjectId;
import dev.cairn.backup.internal.compress.Codec;
import dev.cairn.backup.internal.repository.BlobType;

/**
 * One blob in a pack header.
 *
 * @param type data or tree
 * @param codec compression of the plaintext before encryption
 * @param id the blob id
 * @param offset offset of the encrypted blob in the pack file
 * @param length stored length including the 16-byte tag
 * @param uncompressedLength plaintext length
 */
public record PackEntry(BlobType type, Codec codec, ObjectId id, int offset, int length, int uncompressedLength) {}

package dev.cairn.backup.internal.repository;

import dev.cairn.backup.ObjectId;
import java.time.Instant;

/**
 * One key file (key slot) of a repository.
 *
 * @param id the key file's id (its storage name is {@code keys/<id>})
 * @param created when it was written
 * @param host the host name that wrote it
 * @param user the user name that wrote it
 * @param current whether this session opened the repository with it
 */
public record KeyInfo(ObjectId id, Instant created, String host, String user, boolean current) {}

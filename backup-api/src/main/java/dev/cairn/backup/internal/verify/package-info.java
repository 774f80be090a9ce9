/**
 * Structural and read-data verification of a repository, naming damaged packs, snapshots and paths.
 *
 * <p>Internal API, no compatibility promise.
 */
package dev.cairn.backup.internal.verify;

/**
 * Snapshot objects: the JSON form of {@link dev.cairn.backup.Snapshot}, listing and parent selection.
 *
 * <p>Internal API, no compatibility promise.
 */
package dev.cairn.backup.internal.snapshot;

/**
 * Copying snapshots between repositories (the 3-2-1 rule): only blobs the destination lacks are
 * transferred, every blob read is checked, and the snapshot is written last. Internal API, no
 * compatibility promise.
 */
package dev.cairn.backup.internal.copy;

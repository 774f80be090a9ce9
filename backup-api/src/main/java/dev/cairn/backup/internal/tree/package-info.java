/**
 * Trees: the directory structure of a source in a snapshot, one deterministic JSON blob per directory.
 *
 * <p>Internal API, no compatibility promise.
 */
package dev.cairn.backup.internal.tree;

/**
 * File-system helpers for the built-in sources and the directory restorer: globs, metadata.
 *
 * <p>Internal API, no compatibility promise.
 */
package dev.cairn.backup.internal.source;

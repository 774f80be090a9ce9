/**
 * The backup run: the thread-safe {@link dev.cairn.backup.spi.SourceContext} that chunks and stores entries.
 *
 * <p>Internal API, no compatibility promise.
 */
package dev.cairn.backup.internal.backup;

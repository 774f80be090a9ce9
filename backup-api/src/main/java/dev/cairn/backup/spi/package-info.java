/**
 * Service provider interfaces: what plug-ins implement. {@link dev.cairn.backup.spi.Storage} is a dumb
 * blob store, {@link dev.cairn.backup.spi.Source} emits a tree of streams, and
 * {@link dev.cairn.backup.spi.Restorer} writes such a tree back into a destination and verifies it.
 */
package dev.cairn.backup.spi;

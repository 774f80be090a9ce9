/**
 * Reading a snapshot back: the {@link dev.cairn.backup.spi.RestoreInput} over a snapshot's trees and chunks.
 *
 * <p>Internal API, no compatibility promise.
 */
package dev.cairn.backup.internal.restore;

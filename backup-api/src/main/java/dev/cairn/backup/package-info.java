/**
 * Cairn's public API: plans, repositories, snapshots, reports and the exception hierarchy.
 *
 * <p>Everything here uses JDK types only. The engine lives in {@code dev.cairn.backup.internal.*}
 * (no compatibility promise); plug-ins implement the interfaces in {@link dev.cairn.backup.spi}.
 */
package dev.cairn.backup;

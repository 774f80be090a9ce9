/**
 * Test support for Cairn and its plug-ins: {@link dev.cairn.backup.testing.InMemoryStorage}, the
 * {@link dev.cairn.backup.testing.StorageCompatibilityKit} every storage's test extends, and
 * {@link dev.cairn.backup.testing.SourceHarness} for exercising a source and restorer pair.
 */
package dev.cairn.backup.testing;

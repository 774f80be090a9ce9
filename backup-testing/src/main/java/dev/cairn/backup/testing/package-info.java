/**
 * Test support for Cairn and its plug-ins: {@link dev.cairn.backup.testing.InMemoryStorage}, the
 * {@link dev.cairn.backup.testing.StorageCompatibilityKit} every storage's test extends,
 * {@link dev.cairn.backup.testing.FaultyStorage} for fault injection,
 * {@link dev.cairn.backup.testing.FaultyProxy} (a loopback TCP proxy that cuts connections or answers
 * HTTP 503) for fault tests against real protocol servers, and
 * {@link dev.cairn.backup.testing.SourceHarness} for exercising a source and restorer pair.
 */
package dev.cairn.backup.testing;

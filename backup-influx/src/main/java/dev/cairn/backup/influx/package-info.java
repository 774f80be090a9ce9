/**
 * InfluxDB 1.x and 2.x backup and restore: {@link dev.cairn.backup.influx.InfluxSource} exports
 * points as line protocol in time windows with exact types, {@link dev.cairn.backup.influx.InfluxRestorer}
 * writes them back and verifies point counts and checksums. See docs/influx.md.
 */
package dev.cairn.backup.influx;

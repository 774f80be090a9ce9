/**
 * MySQL and MariaDB backup and restore over JDBC (mysql-connector-j, no external binaries):
 * {@link dev.cairn.backup.mysql.MySqlSource} takes a consistent, parallel, verifiable logical dump and
 * {@link dev.cairn.backup.mysql.MySqlRestorer} loads it back with {@code LOAD DATA LOCAL INFILE} and
 * checks every table against the row counts and checksums recorded at backup time. The dump layout and
 * file format are described in {@code docs/mysql.md}.
 */
package dev.cairn.backup.mysql;

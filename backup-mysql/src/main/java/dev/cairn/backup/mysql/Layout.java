package dev.cairn.backup.mysql;

/**
 * Entry paths of a MySQL source, relative to the source:
 * <pre>
 * &#64;users.sql                       users and grants (optional)
 * DB/database.sql                  CREATE DATABASE with charset and collation
 * DB/routines.sql                  procedures and functions
 * DB/views.sql                     views, dependencies first
 * DB/triggers.sql                  triggers
 * DB/events.sql                    events
 * DB/tables/TABLE/schema.sql       CREATE TABLE (or CREATE SEQUENCE)
 * DB/tables/TABLE/load.sql         LOAD DATA statements for the stock mysql client
 * DB/tables/TABLE/00000.tsv ...    data files
 * </pre>
 * DB and TABLE are the names, with {@code % / \ @}, control characters and a leading dot written as
 * {@code %XX}.
 */
final class Layout {
  static final String USERS = "@users.sql";
  static final String DATABASE = "database.sql";
  static final String ROUTINES = "routines.sql";
  static final String VIEWS = "views.sql";
  static final String TRIGGERS = "triggers.sql";
  static final String EVENTS = "events.sql";
  static final String TABLES = "tables";
  static final String SCHEMA = "schema.sql";
  static final String LOAD = "load.sql";
  static final String DATA_SUFFIX = ".tsv";

  private Layout() {}

  static String db(String db, String file) {
    return Names.encodeSegment(db) + "/" + file;
  }

  static String table(String db, String table, String file) {
    return Names.encodeSegment(db) + "/" + TABLES + "/" + Names.encodeSegment(table) + "/" + file;
  }

  static String dataFile(int index) {
    return String.format("%05d", index) + DATA_SUFFIX;
  }
}

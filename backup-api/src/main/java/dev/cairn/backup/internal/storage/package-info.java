/**
 * Built-in storages (local directory) and storage decorators (retrying, rate-limited). Internal API, no
 * compatibility promise.
 */
package dev.cairn.backup.internal.storage;

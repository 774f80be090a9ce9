/** Built-in storages (local directory). Internal API, no compatibility promise. */
package dev.cairn.backup.internal.storage;

/** Index files and the compact in-memory blob index. Internal API, no compatibility promise. */
package dev.cairn.backup.internal.index;

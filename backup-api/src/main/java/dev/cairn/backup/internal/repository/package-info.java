/** The encrypted, deduplicated repository on a Storage: keys, config, packs, indexes, unpacked objects and locks. Internal API, no compatibility promise. */
package dev.cairn.backup.internal.repository;

/**
 * Prune: deciding which packs to keep, repack and delete so that no chunk a snapshot needs is ever
 * lost, and carrying that out in a crash-safe order. Internal API, no compatibility promise.
 */
package dev.cairn.backup.internal.prune;

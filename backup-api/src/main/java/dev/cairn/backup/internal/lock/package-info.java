/** Repository locks (shared and exclusive), refreshed while held, stale after a timeout. Internal API, no compatibility promise. */
package dev.cairn.backup.internal.lock;

/** Pluggable compression codecs with stable ids stored in the format. Internal API, no compatibility promise. */
package dev.cairn.backup.internal.compress;

/** Pack files: many encrypted blobs plus an encrypted header listing them. Internal API, no compatibility promise. */
package dev.cairn.backup.internal.pack;

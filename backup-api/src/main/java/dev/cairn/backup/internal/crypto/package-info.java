/** Encryption (AES-256-GCM with per-object derived subkeys), key derivation (Argon2id, HKDF) and key files. Internal API, no compatibility promise. */
package dev.cairn.backup.internal.crypto;

/** Content-defined chunking (FastCDC with a per-repository gear table). Internal API, no compatibility promise. */
package dev.cairn.backup.internal.chunker;

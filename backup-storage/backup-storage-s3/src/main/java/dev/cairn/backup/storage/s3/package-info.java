/**
 * {@link dev.cairn.backup.storage.s3.S3Storage}: a Cairn repository in any S3-compatible object store
 * (AWS S3, MinIO, Ceph, ...), and its {@code s3://} URI provider.
 */
package dev.cairn.backup.storage.s3;

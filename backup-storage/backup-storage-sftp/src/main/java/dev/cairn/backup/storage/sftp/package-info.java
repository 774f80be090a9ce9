/**
 * {@link dev.cairn.backup.storage.sftp.SftpStorage}: a Cairn repository in a directory of an SFTP
 * server, and its {@code sftp://} URI provider.
 */
package dev.cairn.backup.storage.sftp;

/**
 * JMH benchmarks of the hot-path stages: chunking, hashing, compression, encryption. Every benchmark
 * reports operations per second where one operation processes 1 MiB, so the score reads as MiB/s.
 * Not deployed.
 */
package dev.cairn.backup.benchmarks;

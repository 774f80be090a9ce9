/** JMH benchmarks of the backup hot path; not deployed. */
package dev.cairn.backup.benchmarks;

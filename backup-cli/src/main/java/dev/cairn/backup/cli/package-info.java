/**
 * The {@code cairn} command line: a thin picocli layer over the public API in {@code dev.cairn.backup}.
 *
 * <p>{@link dev.cairn.backup.cli.CairnCommand} is the entry point; each subcommand is its own small
 * class, and each kind of backup source or restore destination is an option group of its own, so new
 * sources (MySQL, InfluxDB) and commands (copy, forget, prune, plan) plug in without touching the
 * others. Exit codes are listed in {@link dev.cairn.backup.cli.ExitCodes}.
 */
package dev.cairn.backup.cli;

package dev.cairn.backup.cli;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * Common ground of the database server sources of {@code cairn backup} ({@code --mysql}, {@code --influx}):
 * the command's environment, where their passwords and tokens come from.
 */
abstract class ServerSourceOptions implements SourceOptions {
  @Spec(Spec.Target.MIXEE) CommandSpec mixee;

  /** The environment of the {@code cairn} command this option group belongs to. */
  final CliEnvironment environment() {
    return ((CairnCommand) mixee.root().userObject()).environment();
  }
}

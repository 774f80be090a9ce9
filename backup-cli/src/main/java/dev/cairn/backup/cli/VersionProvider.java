package dev.cairn.backup.cli;

import picocli.CommandLine.IVersionProvider;

/** {@code cairn --version}: the jar's implementation version and the Java runtime. */
final class VersionProvider implements IVersionProvider {
  @Override
  public String[] getVersion() {
    String version = CairnCommand.class.getPackage().getImplementationVersion();
    return new String[] {
      "cairn " + (version == null ? "(development build)" : version),
      "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ")",
    };
  }
}

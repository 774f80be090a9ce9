package dev.cairn.backup.cli;

import dev.cairn.backup.spi.Source;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code cairn backup PATH... [--exclude GLOB]}: directories and files to back up. */
final class FileSourceOptions implements SourceOptions {

  @Parameters(paramLabel = "PATH", arity = "0..*",
      description = "Directories or files to back up; each becomes a source named after its absolute path.")
  List<Path> paths = new ArrayList<>();

  @Option(names = {"-e", "--exclude"}, paramLabel = "GLOB",
      description = "Leave out entries matching GLOB, relative to each PATH (repeatable), e.g. '*.tmp' or 'cache/**'.")
  List<String> excludes = new ArrayList<>();

  @Override
  public List<Source> sources() {
    throw Pending.engine("backup");
  }
}

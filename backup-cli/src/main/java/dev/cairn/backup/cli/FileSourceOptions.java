package dev.cairn.backup.cli;

import dev.cairn.backup.FileSource;
import dev.cairn.backup.SourceException;
import dev.cairn.backup.spi.Source;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code cairn backup PATH... [--exclude GLOB]}: directories and files to back up. Each PATH becomes a
 * source named after its absolute path without the leading {@code /} (e.g. {@code srv/app}), so the next
 * backup of the same PATH finds its parent snapshot, and a restore of several sources nests them like
 * restic does.
 */
final class FileSourceOptions implements SourceOptions {

  @Parameters(paramLabel = "PATH", arity = "0..*",
      description = "Directories or files to back up; each becomes a source named after its absolute path.")
  List<Path> paths = new ArrayList<>();

  @Option(names = {"-e", "--exclude"}, paramLabel = "GLOB",
      description = "Leave out entries matching GLOB (repeatable): relative to each PATH when it contains '/',"
          + " e.g. 'cache/**', else a name in any directory, e.g. '*.tmp'.")
  List<String> excludes = new ArrayList<>();

  @Option(names = "--exclude-file", paramLabel = "FILE",
      description = "Read more --exclude GLOBs from FILE, one per line; blank lines and lines starting with # are"
          + " skipped (repeatable).")
  List<Path> excludeFiles = new ArrayList<>();

  @Option(names = "--files-from", paramLabel = "FILE",
      description = "Read more PATHs from FILE, one per line; blank lines and lines starting with # are skipped"
          + " (repeatable).")
  List<Path> filesFrom = new ArrayList<>();

  @Option(names = {"-x", "--one-file-system"},
      description = "Do not descend into other file systems mounted below a PATH (their mount points stay, empty).")
  boolean oneFileSystem;

  @Option(names = "--exclude-if-present", paramLabel = "NAME[:HEADER]",
      description = "Leave out the contents of directories holding a file NAME (starting with HEADER, if given);"
          + " the directory and NAME stay (repeatable).")
  List<String> excludeIfPresent = new ArrayList<>();

  @Option(names = "--exclude-larger-than", paramLabel = "SIZE", converter = SizeConverter.class,
      description = "Leave out files larger than SIZE (e.g. 500M, 2G).")
  Long excludeLargerThan;

  @Option(names = "--exclude-caches",
      description = "Leave out cache directories tagged with a CACHEDIR.TAG file (bford.info/cachedir).")
  boolean excludeCaches;

  /** The PATHs given and those read from --files-from. */
  List<Path> allPaths() {
    List<Path> all = new ArrayList<>(paths);
    for (Path file : filesFrom) {
      lines(file, "--files-from").forEach(l -> all.add(Path.of(l)));
    }
    return all;
  }

  /** The non-blank lines of {@code file} not starting with '#', stripped. */
  static List<String> lines(Path file, String option) {
    try {
      return Files.readAllLines(file).stream().map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#"))
          .toList();
    } catch (java.io.IOException e) {
      throw new SourceException("cannot read " + option + " " + file + ": " + e.getMessage(), e);
    }
  }

  @Override
  public List<Source> sources() {
    List<Source> sources = new ArrayList<>();
    List<String> allExcludes = new ArrayList<>(excludes);
    for (Path file : excludeFiles) {
      allExcludes.addAll(lines(file, "--exclude-file"));
    }
    for (Path given : allPaths()) {
      Path path = given.toAbsolutePath().normalize();
      if (!Files.exists(path, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
        throw new SourceException("cannot back up " + given + ": no such file or directory");
      }
      FileSource source;
      if (Files.isDirectory(path)) {
        source = FileSource.of(path);
      } else {
        // a single file: its directory as the root, and only the file included
        source = FileSource.of(path.getParent()).include(globLiteral(path.getFileName().toString()));
      }
      if (!allExcludes.isEmpty()) {
        source = source.exclude(allExcludes.stream().map(FileSourceOptions::anywhere).toArray(String[]::new));
      }
      source = source.oneFileSystem(oneFileSystem).excludeIfPresent(excludeIfPresent.toArray(String[]::new));
      if (excludeCaches) {
        source = source.excludeCaches();
      }
      if (excludeLargerThan != null) {
        source = source.excludeLargerThan(excludeLargerThan);
      }
      sources.add(source.name(sourceName(path)));
    }
    return sources;
  }

  /** {@code /srv/app} → {@code srv/app}; the root directory is {@code root}. */
  static String sourceName(Path absolute) {
    String name = absolute.toString().replaceAll("^/+", "");
    return name.isEmpty() ? "root" : name;
  }

  /** A glob matching exactly {@code name}: wildcard characters become one-character classes. */
  private static String globLiteral(String name) {
    return name.replaceAll("([*?\\[])", "[$1]");
  }

  /** Like restic, a glob without {@code /} matches a name in any directory. */
  static String anywhere(String glob) {
    return glob.contains("/") ? glob : "**/" + glob;
  }

  /** Reads sizes such as {@code 500M} or {@code 2G}. */
  static final class SizeConverter implements picocli.CommandLine.ITypeConverter<Long> {
    @Override
    public Long convert(String value) {
      try {
        return dev.cairn.backup.internal.source.ByteSizes.parse(value, null); // picocli names the option
      } catch (IllegalArgumentException e) {
        throw new picocli.CommandLine.TypeConversionException(e.getMessage());
      }
    }
  }
}

package dev.cairn.backup.cli;

import dev.cairn.backup.ConfigurationException;
import dev.cairn.backup.FileSource;
import dev.cairn.backup.SourceException;
import dev.cairn.backup.spi.Source;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
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
    List<Path> taken = new ArrayList<>();
    for (Path given : allPaths()) {
      Path path = given.toAbsolutePath().normalize();
      if (!Files.exists(path, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
        throw new SourceException("cannot back up " + given + ": no such file or directory");
      }
      for (Path other : taken) {
        checkApart(other, path);
      }
      taken.add(path);
      FileSource source;
      if (Files.isDirectory(path)) {
        source = FileSource.of(path);
      } else if (Files.isRegularFile(path, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
        // a single regular file: itself as the root, one entry named after it (its directory is not walked,
        // and its name is never turned into a glob)
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

  /**
   * Refuses two PATHs of which one lies inside the other: the inner one's files would be in the snapshot
   * twice, under two sources, and a restore puts the sources side by side by name (srv/app and
   * srv/app/data), where they collide. Allowed with {@code -x} when the inner one is another file system
   * (its mount point stays empty in the outer source); {@code /} is named {@code root} and collides with
   * nothing.
   */
  private void checkApart(Path a, Path b) {
    if (a.equals(b)) {
      throw new ConfigurationException("PATH " + b + " is given twice");
    }
    Path outer = b.startsWith(a) ? a : a.startsWith(b) ? b : null;
    if (outer == null || outer.getParent() == null) {
      return;
    }
    Path inner = outer == a ? b : a;
    if (oneFileSystem && !sameDevice(outer, inner)) {
      return;
    }
    throw new ConfigurationException("PATH " + inner + " lies inside PATH " + outer + ": its files would be backed"
        + " up twice and the two could not be restored side by side; give " + outer + " alone (--exclude what you"
        + " do not want)" + (oneFileSystem ? "" : ", or both with -x if " + inner + " is another file system"));
  }

  private static boolean sameDevice(Path a, Path b) {
    try {
      return Objects.equals(Files.getAttribute(a, "unix:dev"), Files.getAttribute(b, "unix:dev"));
    } catch (java.io.IOException | UnsupportedOperationException | IllegalArgumentException e) {
      return true;
    }
  }

  /** {@code /srv/app} → {@code srv/app}; the root directory is {@code root}. */
  static String sourceName(Path absolute) {
    String name = absolute.toString().replaceAll("^/+", "");
    return name.isEmpty() ? "root" : name;
  }

  /**
   * A glob matching exactly {@code name}: wildcard characters, and white space (which a glob loses at its
   * ends), become one-character classes.
   */
  private static String globLiteral(String name) {
    return name.replaceAll("([*?\\[\\x00-\\x20])", "[$1]");
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

package dev.cairn.backup.spi;

import java.nio.file.Path;
import java.util.Set;

/**
 * Checks that a file parses in a format (YAML, …) for {@link dev.cairn.backup.Checks}, so the API
 * module needs no parser of its own. Found through {@link java.util.ServiceLoader}; the
 * {@code backup-plan} module provides {@code yaml}. Implementations are stateless and thread-safe.
 */
public interface SyntaxChecker {

  /** The formats this checker understands, lower case, e.g. {@code yaml}. */
  Set<String> formats();

  /**
   * Parses {@code file} fully.
   *
   * @throws Exception with a message giving the file, the line and what is wrong, if it does not parse
   */
  void check(String format, Path file) throws Exception;
}

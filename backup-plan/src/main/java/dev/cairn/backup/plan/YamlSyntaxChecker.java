package dev.cairn.backup.plan;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.cairn.backup.spi.SyntaxChecker;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Set;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * Checks that a file is well-formed YAML: every document of it parses, and no mapping repeats a key
 * (Ansible would silently keep only the last one). Found by {@link dev.cairn.backup.Checks#yamlParses}
 * through {@link java.util.ServiceLoader}. Stateless and thread-safe.
 */
public final class YamlSyntaxChecker implements SyntaxChecker {
  private static final ObjectMapper YAML =
      new ObjectMapper(new YAMLFactory().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION));

  /** Public for {@link java.util.ServiceLoader}. */
  public YamlSyntaxChecker() {}

  @Override
  public Set<String> formats() {
    return Set.of("yaml", "yml");
  }

  /**
   * Parses every document of {@code file}.
   *
   * @throws IOException with a message {@code FILE: line L, column C: PROBLEM} if it does not parse, or
   *     naming the file if it cannot be read
   */
  @Override
  public void check(String format, Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file);
        MappingIterator<JsonNode> docs = YAML.readerFor(JsonNode.class).readValues(in)) {
      while (docs.hasNextValue()) {
        docs.nextValue();
      }
    } catch (NoSuchFileException e) {
      throw new IOException(file + ": file not found", e);
    } catch (JsonProcessingException e) {
      throw new IOException(describe(file, e), e);
    } catch (RuntimeException e) {
      // MappingIterator wraps parse errors in RuntimeJsonMappingException
      if (e.getCause() instanceof JsonProcessingException jpe) {
        throw new IOException(describe(file, jpe), jpe);
      }
      throw e;
    }
  }

  /**
   * {@code FILE: line L, column C: PROBLEM}, the problem without Jackson's source excerpt. A scanner or
   * parser error is placed where SnakeYAML found it (Jackson's own location is the last token it
   * read, a line or more earlier for a tab or an unclosed quote), with SnakeYAML's context after it.
   */
  static String describe(Object file, JsonProcessingException e) {
    if (e.getCause() instanceof MarkedYAMLException m && m.getProblemMark() != null) {
      return file + ": " + at(m.getProblemMark()) + ": " + describe(m);
    }
    JsonLocation loc = e.getLocation();
    String where = loc == null || loc.getLineNr() < 1 ? "" : "line " + loc.getLineNr() + ", column " + loc.getColumnNr() + ": ";
    String problem = e.getOriginalMessage();
    if (problem != null) {
      problem = problem.replace(" in 'reader'", "").replaceAll("\\s*\\n\\s*", " ").strip();
    }
    return file + ": " + where + problem;
  }

  /** SnakeYAML's problem, then its context and where that is: {@code PROBLEM (CONTEXT at line L, column C)}. */
  static String describe(MarkedYAMLException m) {
    String problem = m.getProblem() == null ? "not well-formed YAML" : m.getProblem().strip();
    String context = m.getContext() == null ? "" : m.getContext().strip();
    if (context.isEmpty()) {
      return problem;
    }
    Mark c = m.getContextMark();
    return problem + " (" + context + (c == null ? "" : " at " + at(c)) + ")";
  }

  /** {@code line L, column C}, 1-based. */
  static String at(Mark mark) {
    return "line " + (mark.getLine() + 1) + ", column " + (mark.getColumn() + 1);
  }
}

package dev.cairn.backup.plan;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.cairn.backup.spi.SyntaxChecker;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.events.AliasEvent;
import org.yaml.snakeyaml.events.DocumentStartEvent;
import org.yaml.snakeyaml.events.Event;
import org.yaml.snakeyaml.events.NodeEvent;
import org.yaml.snakeyaml.reader.UnicodeReader;

/**
 * Checks that a file is well-formed YAML: every document of it parses, and no mapping repeats a key
 * (Ansible would silently keep only the last one). Found by {@link dev.cairn.backup.Checks#yamlParses}
 * through {@link java.util.ServiceLoader}. Stateless and thread-safe.
 */
public final class YamlSyntaxChecker implements SyntaxChecker {
  /**
   * No size limits: the files checked are the operator's own (a file encrypted with ansible-vault is twice
   * its plain size in hex), and Ansible reads them whole. SnakeYAML's default of 3 MiB code points per
   * document failed a valid file as broken.
   */
  private static LoaderOptions loaderOptions() {
    LoaderOptions options = new LoaderOptions();
    options.setCodePointLimit(Integer.MAX_VALUE);
    return options;
  }

  private static final ObjectMapper YAML = new ObjectMapper(YAMLFactory.builder()
      .loaderOptions(loaderOptions())
      .streamReadConstraints(StreamReadConstraints.builder().maxStringLength(Integer.MAX_VALUE).build())
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      .build());

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
    checkAnchors(file);
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
   * Reads the file's events as Ansible's YAML loader (PyYAML) composes them: an alias must name an
   * anchor defined before it in the same document, and no anchor may be defined twice in a document.
   * Jackson reads an alias as the anchor's name and passes both. Also places scanner and parser errors
   * where SnakeYAML found them.
   */
  private static void checkAnchors(Path file) throws IOException {
    try (Reader in = new UnicodeReader(Files.newInputStream(file))) {
      Map<String, Mark> anchors = new HashMap<>();
      for (Event event : new Yaml(loaderOptions()).parse(in)) {
        if (event instanceof DocumentStartEvent) {
          anchors.clear();
        } else if (event instanceof AliasEvent alias) {
          if (!anchors.containsKey(alias.getAnchor())) {
            throw new IOException(file + ": " + at(alias.getStartMark()) + ": alias *" + alias.getAnchor()
                + " names no anchor &" + alias.getAnchor() + " defined before it in this document"
                + " (Ansible refuses the file: found undefined alias)");
          }
        } else if (event instanceof NodeEvent node && node.getAnchor() != null) {
          Mark first = anchors.putIfAbsent(node.getAnchor(), node.getStartMark());
          if (first != null) {
            throw new IOException(file + ": " + at(node.getStartMark()) + ": anchor &" + node.getAnchor()
                + " is defined twice in this document, first at " + at(first)
                + " (Ansible refuses the file: found duplicate anchor)");
          }
        }
      }
    } catch (NoSuchFileException e) {
      throw new IOException(file + ": file not found", e);
    } catch (MarkedYAMLException e) {
      throw new IOException(file + ": " + (e.getProblemMark() == null ? "" : at(e.getProblemMark()) + ": ") + describe(e), e);
    } catch (YAMLException e) {
      if (e.getCause() instanceof java.nio.charset.CharacterCodingException) {
        throw new IOException(file + ": is not UTF-8 text (YAML files are read as UTF-8)", e);
      }
      if (e.getCause() instanceof IOException io) {
        throw new IOException(file + ": cannot be read: " + io.getMessage(), e);
      }
      throw new IOException(file + ": " + e.getMessage(), e);
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

package dev.cairn.backup.plan;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import dev.cairn.backup.spi.SyntaxChecker;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.events.AliasEvent;
import org.yaml.snakeyaml.events.CollectionEndEvent;
import org.yaml.snakeyaml.events.DocumentStartEvent;
import org.yaml.snakeyaml.events.Event;
import org.yaml.snakeyaml.events.MappingStartEvent;
import org.yaml.snakeyaml.events.NodeEvent;
import org.yaml.snakeyaml.events.ScalarEvent;
import org.yaml.snakeyaml.events.SequenceStartEvent;
import org.yaml.snakeyaml.nodes.NodeId;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.reader.UnicodeReader;
import org.yaml.snakeyaml.resolver.Resolver;

/**
 * Checks that a file is well-formed YAML as Ansible's loader (PyYAML) reads it: every document of it
 * parses, every alias names an anchor defined before it in its document and no anchor is defined twice,
 * no key is a mapping or a list, and no mapping repeats a key (Ansible would silently keep only the last
 * one). Keys are compared as PyYAML compares them: {@code 80} (an int) and {@code "80"} (a string) are two
 * keys, {@code a} and {@code 'a'} one, and {@code <<} merge keys may repeat. Found by {@link
 * dev.cairn.backup.Checks#yamlParses} through {@link java.util.ServiceLoader}. Stateless and thread-safe.
 */
public final class YamlSyntaxChecker implements SyntaxChecker {
  /** What an anchor of a mapping or a list stands for as a key: nothing a key can be. */
  private static final String COLLECTION = "\0";

  /**
   * No size limit: the files checked are the operator's own (a file encrypted with ansible-vault is twice
   * its plain size in hex), and Ansible reads them whole. SnakeYAML's default of 3 MiB code points per
   * document failed a valid file as broken.
   */
  private static LoaderOptions loaderOptions() {
    LoaderOptions options = new LoaderOptions();
    options.setCodePointLimit(Integer.MAX_VALUE);
    return options;
  }

  /** Public for {@link java.util.ServiceLoader}. */
  public YamlSyntaxChecker() {}

  @Override
  public Set<String> formats() {
    return Set.of("yaml", "yml");
  }

  /**
   * Reads every document of {@code file} as a stream of SnakeYAML events (nothing is built in memory).
   *
   * @throws IOException with a message {@code FILE: line L, column C: PROBLEM} if it does not parse, or
   *     naming the file if it cannot be read
   */
  @Override
  public void check(String format, Path file) throws IOException {
    try (Reader in = new UnicodeReader(Files.newInputStream(file))) {
      check(file, new Yaml(loaderOptions()).parse(in));
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

  /** A mapping or list being read: a mapping's keys so far, and whether its next node is a key. */
  private static final class Collection {
    final boolean mapping;
    final Map<String, Mark> keys = new HashMap<>();
    boolean keyNext = true;

    Collection(boolean mapping) {
      this.mapping = mapping;
    }
  }

  private static void check(Path file, Iterable<Event> events) throws IOException {
    Map<String, Mark> anchors = new HashMap<>();
    Map<String, String> anchoredKeys = new HashMap<>();
    Deque<Collection> open = new ArrayDeque<>();
    for (Event event : events) {
      if (event instanceof DocumentStartEvent) {
        anchors.clear(); // anchors are per document
        anchoredKeys.clear();
        continue;
      }
      if (event instanceof CollectionEndEvent) {
        open.pop();
        continue;
      }
      if (!(event instanceof NodeEvent node)) {
        continue;
      }
      Collection parent = open.peek();
      boolean isKey = parent != null && parent.mapping && parent.keyNext;
      if (parent != null && parent.mapping) {
        parent.keyNext = !parent.keyNext;
      }
      String key;
      if (node instanceof AliasEvent alias) {
        if (!anchors.containsKey(alias.getAnchor())) {
          throw new IOException(file + ": " + at(alias.getStartMark()) + ": alias *" + alias.getAnchor()
              + " names no anchor &" + alias.getAnchor() + " defined before it in this document"
              + " (Ansible refuses the file: found undefined alias)");
        }
        key = anchoredKeys.get(alias.getAnchor());
      } else {
        key = node instanceof ScalarEvent scalar ? key(scalar) : COLLECTION;
        if (node.getAnchor() != null) {
          Mark first = anchors.putIfAbsent(node.getAnchor(), node.getStartMark());
          if (first != null) {
            throw new IOException(file + ": " + at(node.getStartMark()) + ": anchor &" + node.getAnchor()
                + " is defined twice in this document, first at " + at(first)
                + " (Ansible refuses the file: found duplicate anchor)");
          }
          anchoredKeys.put(node.getAnchor(), key);
        }
        if (event instanceof MappingStartEvent || event instanceof SequenceStartEvent) {
          open.push(new Collection(event instanceof MappingStartEvent));
        }
      }
      if (isKey) {
        if (COLLECTION.equals(key)) {
          throw new IOException(file + ": " + at(node.getStartMark()) + ": a mapping or a list is used as a key,"
              + " which Ansible cannot read; a value that starts with a Jinja expression must be quoted:"
              + " \"{{ variable }}\"");
        }
        if (key != null) { // null: a merge key (<<), which may repeat
          Mark first = parent.keys.putIfAbsent(key, node.getStartMark());
          if (first != null) {
            throw new IOException(file + ": " + at(node.getStartMark()) + ": duplicate key '"
                + key.substring(key.indexOf('\0') + 1) + "', first at " + at(first)
                + " (Ansible keeps only the last value)");
          }
        }
      }
    }
  }

  /**
   * A scalar key as PyYAML tells keys apart: its resolved type and text (a plain {@code 80} is an int, a
   * quoted {@code "80"} a string), or null for a merge key.
   */
  private static String key(ScalarEvent scalar) {
    String value = scalar.getValue();
    String tag = scalar.getTag();
    if (tag == null || tag.equals("!")) {
      Tag resolved = scalar.getImplicit().canOmitTagInPlainScalar()
          ? RESOLVER.resolve(NodeId.scalar, value, true) : Tag.STR;
      if (resolved.equals(Tag.MERGE)) {
        return null;
      }
      if (resolved.equals(Tag.NULL)) {
        value = "null";
      } else if (resolved.equals(Tag.BOOL)) {
        value = BOOL_TRUE.contains(value.toLowerCase(java.util.Locale.ROOT)) ? "true" : "false";
      }
      tag = resolved.getValue();
    }
    return tag + "\0" + value;
  }

  private static final Resolver RESOLVER = new Resolver();
  private static final Set<String> BOOL_TRUE = Set.of("yes", "true", "on", "y");

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

package dev.cairn.backup.testing;

import dev.cairn.backup.spi.EntryMetadata;
import dev.cairn.backup.spi.EntryType;
import dev.cairn.backup.spi.RestoreInput;
import dev.cairn.backup.spi.RestoreResult;
import dev.cairn.backup.spi.Restorer;
import dev.cairn.backup.spi.Source;
import dev.cairn.backup.spi.SourceContext;
import dev.cairn.backup.spi.Verification;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Runs a {@link Source} without a repository, keeping its entries in a directory, and hands them to a
 * {@link Restorer} as a {@link RestoreInput}: lets a source/restorer pair be tested on its own. The
 * engine's end-to-end tests cover the same pair through a real repository.
 */
public final class SourceHarness {
  private final Path dir;
  private final Map<String, EntryMetadata> entries = new ConcurrentHashMap<>();
  private final Map<String, String> symlinks = new ConcurrentHashMap<>();
  private final Map<String, String> metadata = Collections.synchronizedMap(new LinkedHashMap<>());
  private final Map<String, Verification> verifications = new ConcurrentHashMap<>();
  private final List<String> warnings = Collections.synchronizedList(new ArrayList<>());
  /** Directories the source reported complete: nothing may be added below them, as in a backup. */
  private final Set<String> complete = ConcurrentHashMap.newKeySet();
  private final SourceHarness parent;
  private String sourceName = "";
  private String sourceType = "";

  private SourceHarness(Path dir, SourceHarness parent) {
    this.dir = dir;
    this.parent = parent;
  }

  /** Runs {@code source} into {@code dir} (created if needed). */
  public static SourceHarness run(Source source, Path dir) throws IOException {
    return run(source, dir, null);
  }

  /** Runs {@code source} into {@code dir}, with {@code parent} as the previous backup. */
  public static SourceHarness run(Source source, Path dir, SourceHarness parent) throws IOException {
    Files.createDirectories(dir);
    SourceHarness h = new SourceHarness(dir, parent);
    h.sourceName = source.name();
    h.sourceType = source.type();
    source.backup(h.new Context());
    return h;
  }

  /** Restores what was collected with {@code restorer}. */
  public RestoreResult restore(Restorer restorer) throws IOException {
    return restorer.restore(input());
  }

  /** The collected entries as a restore input. */
  public RestoreInput input() {
    List<EntryMetadata> sorted = new ArrayList<>(new TreeMap<>(entries).values());
    return new RestoreInput() {
      @Override public String snapshotId() { return "0".repeat(64); }
      @Override public Instant snapshotTime() { return Instant.EPOCH; }
      @Override public String sourceName() { return sourceName; }
      @Override public String sourceType() { return sourceType; }
      @Override public Map<String, String> metadata() { return Map.copyOf(metadata); }
      @Override public List<EntryMetadata> entries() { return sorted; }
      @Override public String symlinkTarget(String path) { return symlinks.get(path); }
      @Override public InputStream open(String path) throws IOException { return Files.newInputStream(file(path)); }
      @Override public List<Verification> verifications() { return List.copyOf(new TreeMap<>(verifications).values()); }
    };
  }

  /** Entries by path. */
  public Map<String, EntryMetadata> entries() {
    return Map.copyOf(entries);
  }

  /** Where the content of file entry {@code path} is kept. */
  public Path file(String path) {
    return dir.resolve(path);
  }

  /** Source metadata recorded. */
  public Map<String, String> metadata() {
    return Map.copyOf(metadata);
  }

  /** Verification data recorded, by item. */
  public Map<String, Verification> verifications() {
    return Map.copyOf(verifications);
  }

  /** Warnings the source reported. */
  public List<String> warnings() {
    return List.copyOf(warnings);
  }

  private void add(EntryMetadata m) {
    for (int slash = m.path().lastIndexOf('/'); slash > 0; slash = m.path().lastIndexOf('/', slash - 1)) {
      String dir = m.path().substring(0, slash);
      if (complete.contains(dir)) {
        throw new IllegalStateException("entry '" + m.path() + "' was added below directory '" + dir
            + "', which its source had already reported complete");
      }
    }
    if (entries.putIfAbsent(m.path(), m) != null) {
      throw new IllegalStateException("duplicate entry path " + m.path());
    }
  }

  private final class Context implements SourceContext {
    @Override
    public OutputStream newFile(EntryMetadata m) throws IOException {
      if (m.type() != EntryType.FILE) {
        throw new IllegalArgumentException("newFile needs a FILE entry: " + m.path());
      }
      Path f = file(m.path());
      Files.createDirectories(f.getParent());
      return new FilterOutputStream(Files.newOutputStream(f)) {
        @Override
        public void write(byte[] b, int off, int len) throws IOException {
          out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
          super.close();
          add(new EntryMetadata(m.path(), m.type(), Files.size(f), m.modifiedTime(), m.mode(), m.inode(), m.attributes()));
        }
      };
    }

    @Override
    public void addDirectory(EntryMetadata m) {
      add(m);
    }

    @Override
    public void addSymlink(EntryMetadata m, String target) {
      symlinks.put(m.path(), target);
      add(m);
    }

    @Override
    public void directoryComplete(String path) {
      complete.add(java.util.Objects.requireNonNull(path, "path"));
    }

    @Override
    public Optional<EntryMetadata> parentEntry(String path) {
      return parent == null ? Optional.empty() : Optional.ofNullable(parent.entries.get(path));
    }

    @Override
    public void reuseParentEntry(EntryMetadata m) {
      EntryMetadata prev = parentEntry(m.path()).orElseThrow(
          () -> new IllegalStateException("no parent entry at " + m.path()));
      try {
        Path f = file(m.path());
        Files.createDirectories(f.getParent());
        Files.copy(parent.file(prev.path()), f);
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
      add(m);
    }

    @Override
    public Optional<Verification> parentVerification(String item) {
      return parent == null ? Optional.empty() : Optional.ofNullable(parent.verifications.get(item));
    }

    @Override
    public void putMetadata(String key, String value) {
      metadata.put(key, value);
    }

    @Override
    public void addVerification(Verification v) {
      verifications.put(v.item(), v);
    }

    @Override
    public void warn(String path, String message) {
      warnings.add(path + ": " + message);
    }
  }
}

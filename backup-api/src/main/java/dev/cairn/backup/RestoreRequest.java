package dev.cairn.backup;

import dev.cairn.backup.spi.Restorer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What to restore and where: a snapshot ({@code latest}, a full id or a unique prefix), optionally
 * only some sources and some paths, into a directory and/or through source-specific restorers.
 * Immutable; build with {@link #builder()}.
 *
 * <p>Sources without an explicit restorer are written as files into {@link #destination()} by a
 * {@link DirectoryRestorer}: when one source is restored, straight into the destination; when several,
 * each into a subdirectory named after the source (a name like {@code /etc} goes to
 * {@code <destination>/etc}; nothing is ever written outside the destination).
 *
 * @param snapshot {@code latest} (the newest snapshot, of {@link #plan()} and {@link #host()} where
 *     given), a full snapshot id or a unique prefix of one
 * @param sources names of the sources to restore; empty for all
 * @param paths entry paths to restore (each with everything under it); empty for all
 * @param destination directory for sources restored as files, or {@code null}
 * @param overwrite whether a non-empty destination directory may be written into
 * @param restorers restorers by source name, for sources not restored as files
 * @param plan for {@code latest}: only snapshots of this plan, or {@code null}
 * @param host for {@code latest}: only snapshots of this host, or {@code null}
 * @param progress receives progress samples
 * @param excludes globs of entry paths not to restore (with everything under them), relative to each
 *     source's root: {@code *} within a segment, {@code **} across segments ({@code cache/**},
 *     {@code **}{@code /*.tmp})
 */
public record RestoreRequest(
    String snapshot,
    List<String> sources,
    List<String> paths,
    Path destination,
    boolean overwrite,
    Map<String, Restorer> restorers,
    String plan,
    String host,
    ProgressListener progress,
    List<String> excludes) {
  /** Checks the values and copies the lists. */
  public RestoreRequest {
    Objects.requireNonNull(snapshot, "snapshot");
    sources = List.copyOf(sources);
    paths = List.copyOf(paths);
    excludes = List.copyOf(excludes);
    restorers = Map.copyOf(restorers);
    progress = progress == null ? ProgressListener.NONE : progress;
  }

  /** A request without excludes (the form before they existed). */
  public RestoreRequest(String snapshot, List<String> sources, List<String> paths, Path destination, boolean overwrite,
      Map<String, Restorer> restorers, String plan, String host, ProgressListener progress) {
    this(snapshot, sources, paths, destination, overwrite, restorers, plan, host, progress, List.of());
  }

  /** The destination directory, if one was given. */
  public Optional<Path> destinationDirectory() {
    return Optional.ofNullable(destination);
  }

  /** A new builder; the snapshot defaults to {@code latest}. */
  public static Builder builder() {
    return new Builder();
  }

  /** Builds a {@link RestoreRequest}. Not thread-safe. */
  public static final class Builder {
    private String snapshot = "latest";
    private final List<String> sources = new ArrayList<>();
    private final List<String> paths = new ArrayList<>();
    private Path destination;
    private boolean overwrite;
    private final Map<String, Restorer> restorers = new LinkedHashMap<>();
    private String plan;
    private String host;
    private ProgressListener progress = ProgressListener.NONE;
    private final List<String> excludes = new ArrayList<>();

    private Builder() {}

    /**
     * Leaves out entries matching {@code globs} (with everything under them), relative to each source's
     * root (may be called several times).
     *
     * @throws IllegalArgumentException if a glob is malformed
     */
    public Builder exclude(String... globs) {
      for (String g : globs) {
        dev.cairn.backup.internal.source.Glob.compile(g); // fails now, naming the glob
        excludes.add(g);
      }
      return this;
    }

    /** The snapshot: {@code latest}, a full id or a unique prefix (default {@code latest}). */
    public Builder snapshot(String snapshot) {
      this.snapshot = Objects.requireNonNull(snapshot, "snapshot");
      return this;
    }

    /** The snapshot with id {@code id}. */
    public Builder snapshot(ObjectId id) {
      return snapshot(id.hex());
    }

    /** Restores only source {@code name} (may be called several times; default all sources). */
    public Builder source(String name) {
      sources.add(Objects.requireNonNull(name, "name"));
      return this;
    }

    /** Restores only entry {@code path} and everything under it (may be called several times). */
    public Builder path(String path) {
      Objects.requireNonNull(path, "path");
      String p = path.replaceAll("^/+|/+$", "");
      if (!p.isEmpty()) {
        paths.add(p);
      }
      return this;
    }

    /** Restores only these paths. */
    public Builder paths(List<String> paths) {
      paths.forEach(this::path);
      return this;
    }

    /** Writes sources without a restorer of their own as files into {@code directory}. */
    public Builder destination(Path directory) {
      this.destination = Objects.requireNonNull(directory, "directory");
      return this;
    }

    /** Allows writing into a non-empty destination directory, replacing files there (default false). */
    public Builder overwrite(boolean overwrite) {
      this.overwrite = overwrite;
      return this;
    }

    /** Restores source {@code sourceName} with {@code restorer} (e.g. into a database). */
    public Builder restorer(String sourceName, Restorer restorer) {
      restorers.put(Objects.requireNonNull(sourceName, "sourceName"), Objects.requireNonNull(restorer, "restorer"));
      return this;
    }

    /** For {@code latest}: only consider snapshots of plan {@code plan}. */
    public Builder plan(String plan) {
      this.plan = plan;
      return this;
    }

    /** For {@code latest}: only consider snapshots of host {@code host}. */
    public Builder host(String host) {
      this.host = host;
      return this;
    }

    /** Receives progress samples (default none). */
    public Builder progress(ProgressListener progress) {
      this.progress = Objects.requireNonNull(progress, "progress");
      return this;
    }

    /**
     * Builds the request.
     *
     * @throws IllegalStateException if neither a destination nor a restorer was given
     */
    public RestoreRequest build() {
      if (destination == null && restorers.isEmpty()) {
        throw new IllegalStateException("a restore needs a destination directory or a restorer");
      }
      return new RestoreRequest(snapshot, sources, paths, destination, overwrite, restorers, plan, host, progress,
          excludes);
    }
  }
}

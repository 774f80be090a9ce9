package dev.cairn.backup.internal.plan;

import dev.cairn.backup.DrillReport;
import dev.cairn.backup.Snapshot;
import dev.cairn.backup.SnapshotSource;
import dev.cairn.backup.spi.RestoreResult;
import dev.cairn.backup.spi.Restorer;
import dev.cairn.backup.spi.SourceFactory.ScratchRestorer;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a restore drill: every source of a snapshot restored into a scratch destination, verified and
 * timed, then the scratch destinations removed. The restore itself is passed in, so the drill does not
 * depend on how a repository restores.
 *
 * <p>Internal API, no compatibility promise.
 */
public final class DrillRunner {
  private static final Logger LOG = LoggerFactory.getLogger(DrillRunner.class);

  /** Restores one source of the snapshot into {@code directory}, or through {@code restorer} if not null. */
  @FunctionalInterface
  public interface SourceRestore {
    /** Restores and verifies one source. */
    RestoreResult restore(String source, Path directory, Restorer restorer) throws Exception;
  }

  private DrillRunner() {}

  /**
   * Runs the drill.
   *
   * @param plan the plan's name
   * @param target the target restored from
   * @param snapshot the snapshot to restore, or null if the target has none (the report then fails)
   * @param rto the RTO the duration is measured against, or null
   * @param scratchBase where scratch directories are made (a fresh one per drill, removed after)
   * @param scratchRestorers by source name: makes the scratch restorer for a source that is not
   *     restored as files (databases); given the source's private scratch directory
   * @param restore performs one source's restore
   * @param clock gives the start time
   */
  public static DrillReport run(String plan, String target, Snapshot snapshot, Duration rto, Path scratchBase,
      Map<String, Function<Path, ScratchRestorer>> scratchRestorers, SourceRestore restore, Clock clock)
      throws IOException {
    Instant started = clock.instant();
    long t0 = System.nanoTime();
    if (snapshot == null) {
      return new DrillReport(plan, target, "", started, Duration.ofNanos(System.nanoTime() - t0), rto, List.of());
    }
    Files.createDirectories(scratchBase);
    Path scratch = Files.createTempDirectory(scratchBase, "cairn-drill-");
    List<DrillReport.SourceResult> results = new ArrayList<>();
    try {
      for (SnapshotSource source : snapshot.sources()) {
        results.add(restoreOne(source, scratch, scratchRestorers.get(source.name()), restore));
      }
    } finally {
      deleteTree(scratch);
    }
    DrillReport report = new DrillReport(plan, target, snapshot.id().hex(), started,
        Duration.ofNanos(System.nanoTime() - t0), rto, results);
    LOG.info("restore drill of plan {} from {}: {} in {}", plan, target, report.passed() ? "passed" : "FAILED",
        report.duration());
    return report;
  }

  private static DrillReport.SourceResult restoreOne(SnapshotSource source, Path scratch,
      Function<Path, ScratchRestorer> scratchRestorer, SourceRestore restore) {
    long t0 = System.nanoTime();
    Path dir = scratch.resolve("source-" + source.name().replaceAll("[^A-Za-z0-9._-]", "_"));
    String destination = dir.toString();
    ScratchRestorer sr = null;
    try {
      Restorer restorer = null;
      if (scratchRestorer != null) {
        Files.createDirectories(dir);
        sr = scratchRestorer.apply(dir);
        restorer = sr.restorer();
        destination = sr.destination();
      } else if (!source.type().equals("files") && !source.type().equals("stream")) {
        return new DrillReport.SourceResult(source.name(), source.type(), "-", 0, 0,
            Duration.ofNanos(System.nanoTime() - t0), List.of(), "no scratch destination for source type '"
            + source.type() + "': register a drill restorer for it (in YAML plans, the type's module provides one)");
      }
      RestoreResult r = restore.restore(source.name(), dir, restorer);
      // restoring nothing in no time verifies nothing and would prove any RTO: an include that matches no
      // file any more (a moved tree, a typo) backs up an empty source, and its drills passed
      String nothing = r.entries() > 0 ? "" : "the snapshot holds nothing for this source (0 entries), so the"
          + " drill restored and verified nothing; check the source (a files source's root and includes)";
      return new DrillReport.SourceResult(source.name(), source.type(), destination, r.entries(), r.bytes(),
          Duration.ofNanos(System.nanoTime() - t0), r.results(), nothing);
    } catch (Exception e) {
      // the report says why; the stack trace only at debug level (cairn --verbose)
      LOG.warn("restore drill of source {} failed: {}", source.name(), e.toString());
      LOG.debug("restore drill of source {} failed", source.name(), e);
      String message = e.getMessage() == null ? e.getClass().getName() : e.getMessage();
      return new DrillReport.SourceResult(source.name(), source.type(), destination, 0, 0,
          Duration.ofNanos(System.nanoTime() - t0), List.of(), message);
    } finally {
      if (sr != null) {
        try {
          sr.close();
        } catch (Exception e) {
          LOG.warn("could not remove the drill's scratch destination {}: {}", sr.destination(), e.toString());
        }
      }
    }
  }

  /** Deletes {@code root} and everything under it, never following symbolic links. */
  static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    Files.walkFileTree(root, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
        Files.delete(file);
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
        if (exc != null) {
          throw exc;
        }
        Files.delete(dir);
        return FileVisitResult.CONTINUE;
      }
    });
  }
}

package dev.cairn.backup.internal.backup;

import dev.cairn.backup.BackupException;
import dev.cairn.backup.BackupOptions;
import dev.cairn.backup.BackupReport;
import dev.cairn.backup.Check;
import dev.cairn.backup.CheckOutcome;
import dev.cairn.backup.ObjectId;
import dev.cairn.backup.Snapshot;
import dev.cairn.backup.SnapshotSource;
import dev.cairn.backup.SourceException;
import dev.cairn.backup.internal.chunker.Chunker;
import dev.cairn.backup.internal.lock.Lock;
import dev.cairn.backup.internal.repository.BlobType;
import dev.cairn.backup.internal.repository.EncryptedRepository;
import dev.cairn.backup.internal.snapshot.Snapshots;
import dev.cairn.backup.spi.Source;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One backup of a list of sources into a repository: runs the checks, backs every source up through
 * a {@link SourceRun}, flushes packs and indexes, and writes the snapshot last, as the commit point.
 */
public final class BackupRun {
  private static final Logger LOG = LoggerFactory.getLogger(BackupRun.class);
  private final EncryptedRepository repo;
  private final BackupOptions options;
  private final ConcurrentLinkedQueue<Chunker> chunkers = new ConcurrentLinkedQueue<>();
  final AtomicLong files = new AtomicLong();
  final AtomicLong bytesRead = new AtomicLong();
  final AtomicLong bytesTotal = new AtomicLong();
  final AtomicLong bytesNew = new AtomicLong();
  final List<String> warnings = Collections.synchronizedList(new ArrayList<>());
  final ProgressTracker progress;
  private final AtomicLong sinceCheckpoint = new AtomicLong();

  private BackupRun(EncryptedRepository repo, BackupOptions options) {
    this.repo = repo;
    this.options = options;
    this.progress = new ProgressTracker("backup", options.progress(), -1, -1);
  }

  /** Backs up {@code sources} into {@code repo}; see {@link dev.cairn.backup.Repository#backup}. */
  public static BackupReport run(EncryptedRepository repo, List<? extends Source> sources, BackupOptions options,
      String target) {
    return new BackupRun(repo, options).run(sources, target);
  }

  EncryptedRepository repo() {
    return repo;
  }

  Chunker borrowChunker() {
    Chunker c = chunkers.poll();
    return c != null ? c : repo.newChunker();
  }

  void returnChunker(Chunker c) {
    c.reset();
    chunkers.offer(c);
  }

  private BackupReport run(List<? extends Source> sources, String target) {
    if (sources.isEmpty()) {
      throw new IllegalArgumentException("a backup needs at least one source");
    }
    Set<String> names = new HashSet<>();
    for (Source s : sources) {
      if (!names.add(s.name())) {
        throw new IllegalArgumentException("two sources are named '" + s.name() + "'; source names must be unique");
      }
    }
    long start = System.nanoTime();
    Instant time = options.clock().instant();
    // a chosen parent that does not exist is a mistake to report before the checks run
    Snapshot chosen = options.parent() == null ? null : Snapshots.resolve(repo, options.parent(), null, null);
    List<CheckOutcome> checks = runChecks();
    long storedBefore = repo.stats().uploadedPackBytes();
    try (Lock lock = repo.lock(false); EncryptedRepository.WriteOperation writes = repo.beginWrites()) {
      // a prune may have run since this session loaded the index: never deduplicate against deleted blobs
      repo.refreshIndex();
      // neither a damaged snapshot nor one a newer Cairn wrote on another host stops this backup
      List<Snapshot> all = options.force() ? List.of() : Snapshots.parentCandidates(repo);
      List<SnapshotSource> parts = new ArrayList<>();
      ObjectId parentId = null;
      long estimate = 0;
      boolean estimateKnown = true;
      List<ParentTree> parents = new ArrayList<>();
      List<Optional<SnapshotSource>> parentSources = new ArrayList<>();
      for (Source source : sources) {
        Optional<Snapshot> parent = chosen != null ? Optional.of(chosen)
            : Snapshots.parent(all, options.plan(), options.host(), source.name(), source.type());
        Optional<SnapshotSource> ps = parent.flatMap(p -> p.source(source.name()))
            .filter(p -> p.type().equals(source.type()));
        parentSources.add(ps);
        if (ps.isPresent() && parentId == null) {
          parentId = parent.get().id(); // recorded only when it is the parent of some source
        }
        ParentTree nodes = null;
        if (ps.isPresent()) {
          // read a directory at a time as the source walks: the whole parent would hold every entry
          nodes = new ParentTree(ps.get().tree(), repo::readBlobsById, "snapshot " + parent.get().id().shortHex()
              + ", source '" + source.name() + "'");
          estimate += ps.get().bytes();
        } else {
          estimateKnown = false;
        }
        parents.add(nodes);
      }
      if (chosen != null && parentId == null) {
        LOG.warn("snapshot {} holds none of the sources backed up ({}); every file is read", chosen.id().shortHex(),
            sources.stream().map(Source::name).toList());
      }
      progress.totals(-1, estimateKnown ? estimate : -1);
      try {
        for (int i = 0; i < sources.size(); i++) {
          Source source = sources.get(i);
          LOG.debug("backing up source '{}'", source.name());
          SourceRun run = new SourceRun(this, source, parents.get(i), parentSources.get(i));
          try {
            source.backup(run);
          } catch (IOException e) {
            throw new SourceException("source '" + source.name() + "' failed: " + e.getMessage()
                + "; no snapshot was written", e);
          }
          parts.add(run.finish());
        }
      } catch (RuntimeException | Error e) {
        // Make what was uploaded durable, so the next backup reuses it instead of uploading it again.
        try {
          repo.flush();
        } catch (RuntimeException flushError) {
          if (flushError != e) { // flush rethrows a stored background failure, which may be e itself
            e.addSuppressed(flushError);
          }
        }
        throw e;
      }
      repo.flush();
      lock.checkHeld(); // a lock that lapsed may have let a prune delete what this snapshot refers to
      // a lock taken for stale while this process was suspended, or hosts whose clocks differ: data
      // reused from the parent may be gone; then nothing is committed, and the next backup stores it again
      dev.cairn.backup.internal.tree.StillStored.check(repo, parts.stream().map(SnapshotSource::tree).toList(),
          "that this backup reused from its parent snapshot", "nothing was committed. Run the backup again: it"
              + " stores them anew");
      Snapshot snapshot = Snapshots.save(repo, new Snapshot(ObjectId.of(new byte[ObjectId.LENGTH]), time,
          options.host(), options.plan(), options.tags(), parentId, parts, checks, warnings.isEmpty()));
      progress.emit();
      long stored = repo.stats().uploadedPackBytes() - storedBefore;
      Duration duration = Duration.ofNanos(System.nanoTime() - start);
      LOG.info("snapshot {} saved: {} files, {} bytes read, {} new, {} stored in {}", snapshot.id().shortHex(),
          files.get(), bytesRead.get(), bytesNew.get(), stored, duration);
      return new BackupReport(target, snapshot, files.get(), bytesRead.get(), bytesTotal.get(), bytesNew.get(),
          stored, duration, warnings, checks);
    }
  }

  private List<CheckOutcome> runChecks() {
    List<CheckOutcome> outcomes = new ArrayList<>();
    for (Check check : options.checks()) {
      long t0 = System.nanoTime();
      String failure = null;
      try {
        check.run();
      } catch (Exception e) {
        failure = e.getMessage() == null ? e.toString() : e.getMessage();
      }
      CheckOutcome outcome = new CheckOutcome(check.name(), failure == null, failure, check.onFailure(),
          Duration.ofNanos(System.nanoTime() - t0));
      outcomes.add(outcome);
      if (failure != null && check.onFailure() == Check.OnFailure.ABORT) {
        throw new BackupException("check '" + check.name() + "' failed: " + failure
            + "; the backup was aborted and no snapshot was written (fix the check's cause, or set its policy to MARK)");
      }
      if (failure != null) {
        LOG.warn("check '{}' failed, backing up anyway and marking the snapshot: {}", check.name(), failure);
      }
    }
    return outcomes;
  }

  /**
   * Counts {@code n} new bytes; past the checkpoint interval, indexes the packs uploaded so far
   * (without draining the pipeline), so that a killed backup leaves data the next one reuses.
   */
  void countNew(long n) {
    bytesNew.addAndGet(n);
    long since = sinceCheckpoint.addAndGet(n);
    if (since >= options.checkpointBytes() && sinceCheckpoint.compareAndSet(since, 0)) {
      // index what is uploaded, without draining the pipeline: adders and uploads go on
      LOG.debug("checkpoint after {} bytes read", bytesRead.get());
      repo.checkpoint();
    }
  }

  /** Adds a data blob; returns true if it was new. */
  boolean addData(ObjectId id, byte[] b, int off, int len) {
    return repo.addBlob(BlobType.DATA, id, b, off, len);
  }

  /** Stores a tree blob and returns its id. */
  ObjectId storeTree(byte[] tree) {
    ObjectId id = repo.chunkId(tree, 0, tree.length);
    repo.addBlob(BlobType.TREE, id, tree, 0, tree.length);
    return id;
  }
}

package dev.cairn.backup;

import dev.cairn.backup.internal.backup.BackupRun;
import dev.cairn.backup.internal.backup.ProgressTracker;
import dev.cairn.backup.internal.chunker.ChunkerParams;
import dev.cairn.backup.internal.compress.Compressor;
import dev.cairn.backup.internal.crypto.Argon2Parameters;
import dev.cairn.backup.internal.lock.Lock;
import dev.cairn.backup.internal.prune.Forgetter;
import dev.cairn.backup.internal.prune.Pruner;
import dev.cairn.backup.internal.repository.EncryptedRepository;
import dev.cairn.backup.internal.repository.KeyInfo;
import dev.cairn.backup.internal.repository.PackRepair;
import dev.cairn.backup.internal.repository.RepositoryOptions;
import dev.cairn.backup.internal.restore.SnapshotRestoreInput;
import dev.cairn.backup.internal.snapshot.SnapshotRewriter;
import dev.cairn.backup.internal.snapshot.Snapshots;
import dev.cairn.backup.internal.tree.TreeDiff;
import dev.cairn.backup.internal.tree.TreeSearch;
import dev.cairn.backup.internal.tree.TreeWalker;
import dev.cairn.backup.internal.verify.Verifier;
import dev.cairn.backup.spi.EntryMetadata;
import dev.cairn.backup.spi.RestoreResult;
import dev.cairn.backup.spi.Restorer;
import dev.cairn.backup.spi.Source;
import dev.cairn.backup.spi.Storage;
import dev.cairn.backup.spi.StorageObject;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * An open, encrypted, deduplicated repository on one {@link Storage}: back up sources into it, list
 * and browse its snapshots, restore, verify, manage its passphrases (key slots) and see its size.
 * This is what the {@code cairn} command line is built on; {@link BackupPlan} uses it for each target.
 *
 * <pre>{@code
 * Storage storage = Storages.local(Path.of("/srv/backup"));
 * try (Repository repo = Repository.builder(storage).passphrase(secret).init()) {   // or .open()
 *   BackupReport report = repo.backup(List.of(FileSource.of(Path.of("/etc/ansible"))));
 *   repo.restore(RestoreRequest.builder().snapshot("latest").destination(Path.of("/tmp/r")).build());
 *   VerifyReport check = repo.verify(true);
 * }
 * }</pre>
 *
 * <p>Thread-safe; one instance may run several operations at once (backups take a shared lock in
 * the repository, key changes and other maintenance are left to one caller at a time). Does not close
 * the storage it was given; {@link #close()} stops the repository's threads and is idempotent.
 */
public final class Repository implements AutoCloseable {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Repository.class);
  private final EncryptedRepository repo;
  private final ExecutorService readAhead;

  private Repository(EncryptedRepository repo) {
    this.repo = repo;
    this.readAhead = Executors.newFixedThreadPool(Math.max(2, Runtime.getRuntime().availableProcessors()), r -> {
      Thread t = new Thread(Compressor.releasingAtExit(r), "cairn-read-ahead");
      t.setDaemon(true);
      return t;
    });
  }

  /** A builder for opening or creating the repository in {@code storage}. */
  public static Builder builder(Storage storage) {
    return new Builder(storage);
  }

  /**
   * Opens the repository in {@code storage} with default settings.
   *
   * @throws RepositoryNotFoundException if there is no repository
   * @throws WrongPassphraseException if {@code passphrase} opens no key slot
   */
  public static Repository open(Storage storage, Secret passphrase) {
    return builder(storage).passphrase(passphrase).open();
  }

  /**
   * Creates a repository in {@code storage} with default settings and opens it.
   *
   * @throws ConfigurationException if the storage already holds a repository
   */
  public static Repository init(Storage storage, Secret passphrase) {
    return builder(storage).passphrase(passphrase).init();
  }

  /** True if {@code storage} holds a repository. */
  public static boolean exists(Storage storage) {
    return EncryptedRepository.exists(storage);
  }

  /** Where the repository is, e.g. {@code local:/srv/backup}. */
  public String location() {
    return repo.storage().location();
  }

  /** The repository's id (random, fixed at creation). */
  public ObjectId id() {
    return repo.config().id();
  }

  /**
   * Every snapshot, oldest first. A snapshot file that cannot be read (damaged) is left out with a
   * warning; {@link #verify(boolean)} reports it and {@link #forget(List, boolean)} removes it.
   */
  public List<Snapshot> snapshots() {
    return Snapshots.readable(repo);
  }

  /**
   * Every readable snapshot, oldest first; each damaged snapshot file is added to {@code damaged} as
   * "id: why" (for a drill, which must not pass on an older snapshot while a newer one is damaged).
   */
  List<Snapshot> snapshots(List<String> damaged) {
    return Snapshots.all(repo, (id, e) -> damaged.add(id.shortHex() + ": " + e.getMessage()));
  }

  /**
   * The snapshot {@code ref} names: {@code latest}, a full id, or a unique prefix of one.
   *
   * @throws BackupException naming {@code ref} if no or several snapshots match
   */
  public Snapshot snapshot(String ref) {
    return Snapshots.resolve(repo, ref, null, null);
  }

  /**
   * The entries of source {@code source} in {@code snapshot}, in path order; with a non-empty
   * {@code path}, only that entry and what is below it (for {@code cairn ls}).
   *
   * @throws BackupException if the snapshot has no such source
   */
  public List<EntryMetadata> entries(Snapshot snapshot, String source, String path) {
    SnapshotSource src = snapshot.source(source).orElseThrow(() -> new BackupException("snapshot "
        + snapshot.id().shortHex() + " has no source '" + source + "'; it has " + sourceNames(snapshot)));
    String p = path == null ? "" : path.replaceAll("^/+|/+$", "");
    List<EntryMetadata> out = new ArrayList<>();
    // a path: only the trees down to it and below it are read
    (p.isEmpty() ? TreeWalker.flatten(src.tree(), repo::readBlobsById)
        : TreeWalker.flattenPaths(src.tree(), List.of(p), repo::readBlobsById)).forEach((entryPath, node) -> {
      if (p.isEmpty() || entryPath.equals(p) || entryPath.startsWith(p + "/")) {
        out.add(node.toEntry(entryPath));
      }
    });
    return out;
  }

  /** The entries of every source of {@code snapshot}, keyed by source name. */
  public Map<String, List<EntryMetadata>> entries(Snapshot snapshot) {
    Map<String, List<EntryMetadata>> out = new java.util.LinkedHashMap<>();
    for (SnapshotSource s : snapshot.sources()) {
      out.put(s.name(), entries(snapshot, s.name(), ""));
    }
    return out;
  }

  /**
   * What changed from snapshot {@code from} to snapshot {@code to}, entry by entry (for
   * {@code cairn diff}); only directories whose trees differ are read.
   *
   * @throws IntegrityException if a tree that differs cannot be read
   */
  public SnapshotDiff diff(Snapshot from, Snapshot to) {
    List<SnapshotDiff.Change> changes = new ArrayList<>();
    diff(from, to, changes::add);
    return new SnapshotDiff(from, to, changes);
  }

  /**
   * Like {@link #diff(Snapshot, Snapshot)}, but hands each change to {@code changes} as it is found
   * (source by source, each depth first in name order, as {@code ls} lists entries), so that memory
   * does not grow with the number of changes.
   */
  public void diff(Snapshot from, Snapshot to, java.util.function.Consumer<SnapshotDiff.Change> changes) {
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(to, "to");
    Objects.requireNonNull(changes, "changes");
    java.util.LinkedHashSet<String> names = new java.util.LinkedHashSet<>();
    from.sources().forEach(s -> names.add(s.name()));
    to.sources().forEach(s -> names.add(s.name()));
    for (String name : names) {
      ObjectId a = from.source(name).map(SnapshotSource::tree).orElse(null);
      ObjectId b = to.source(name).map(SnapshotSource::tree).orElse(null);
      TreeDiff.diff(name, a, b, repo::readBlobsById, changes);
    }
  }

  /**
   * Finds the entries {@code match} accepts in {@code snapshots} (for {@code cairn find}), handing each
   * to {@code found} as it is found: snapshot by snapshot in the order given, source by source, depth
   * first in name order. A directory searched before at the same path with the same tree and no match
   * is not read again, so searching many snapshots costs little more than searching one.
   * {@code match} is given the source's name and the entry, and must depend only on them.
   *
   * @throws IntegrityException if a tree cannot be read
   */
  public void find(List<Snapshot> snapshots, java.util.function.BiPredicate<String, EntryMetadata> match,
      java.util.function.Consumer<FoundEntry> found) {
    Objects.requireNonNull(match, "match");
    Objects.requireNonNull(found, "found");
    java.util.Map<String, TreeSearch> bySource = new java.util.HashMap<>();
    for (Snapshot s : snapshots) {
      for (SnapshotSource src : s.sources()) {
        bySource.computeIfAbsent(src.name(), n -> new TreeSearch(repo::readBlobsById, e -> match.test(n, e)))
            .search(src.tree(), (path, node) -> found.accept(new FoundEntry(s, src.name(), node.toEntry(path))));
      }
    }
  }

  private static String sourceNames(Snapshot s) {
    return s.sources().stream().map(SnapshotSource::name).toList().toString();
  }

  /** Backs up {@code sources} with default options; see {@link #backup(List, BackupOptions)}. */
  public BackupReport backup(List<? extends Source> sources) {
    return backup(sources, BackupOptions.defaults());
  }

  /**
   * Runs the checks, backs up every source, makes all data durable and then writes the snapshot
   * (the commit point). Files unchanged since the parent snapshot (the latest one of the same plan,
   * host and source) are not read again.
   *
   * @throws BackupException if a check with policy ABORT fails; nothing is written then
   * @throws SourceException if a source fails; no snapshot is written, uploaded data is kept and
   *     reused by the next backup
   * @throws RepositoryLockedException if an exclusive lock (prune) is held
   * @throws StorageException if storage fails; no snapshot is written, and once storage works again the
   *     next backup succeeds, on this instance too (after the backups running meanwhile have ended)
   */
  public BackupReport backup(List<? extends Source> sources, BackupOptions options) {
    return backup(sources, options, "");
  }

  BackupReport backup(List<? extends Source> sources, BackupOptions options, String target) {
    Objects.requireNonNull(sources, "sources");
    Objects.requireNonNull(options, "options");
    return BackupRun.run(repo, sources, options, target);
  }

  /**
   * Restores a snapshot (or some of its sources and paths) as {@code request} says; every chunk is
   * checked as it is read, and each restorer verifies what it wrote.
   *
   * @throws RestoreException if the destination is not empty (and overwriting is not allowed), or a
   *     chosen source or path is not in the snapshot
   * @throws IntegrityException if stored data is damaged
   */
  public RestoreReport restore(RestoreRequest request) {
    // a shared lock keeps prune from deleting packs while they are read
    try (Lock lock = repo.lock(false)) {
      return restoreLocked(request);
    }
  }

  private RestoreReport restoreLocked(RestoreRequest request) {
    long start = System.nanoTime();
    Snapshot snapshot = Snapshots.resolve(repo, request.snapshot(), request.plan(), request.host());
    List<SnapshotSource> chosen = new ArrayList<>();
    if (request.sources().isEmpty()) {
      chosen.addAll(snapshot.sources());
    } else {
      for (String name : request.sources()) {
        chosen.add(snapshot.source(name).orElseThrow(() -> new RestoreException("snapshot "
            + snapshot.id().shortHex() + " has no source '" + name + "'; it has " + sourceNames(snapshot))));
      }
    }
    for (String name : request.restorers().keySet()) {
      if (snapshot.source(name).isEmpty()) {
        throw new RestoreException("a restorer was given for source '" + name + "', but snapshot "
            + snapshot.id().shortHex() + " has no such source; it has " + sourceNames(snapshot));
      }
    }
    long directorySources = chosen.stream().filter(s -> !request.restorers().containsKey(s.name())).count();
    if (directorySources > 0 && request.destination() == null) {
      throw new RestoreException("sources " + chosen.stream().map(SnapshotSource::name)
          .filter(n -> !request.restorers().containsKey(n)).toList()
          + " have no restorer: give a destination directory to restore them as files");
    }
    ProgressTracker progress = new ProgressTracker("restore", request.progress(), -1, -1);
    List<SnapshotRestoreInput> inputs = new ArrayList<>();
    for (SnapshotSource src : chosen) {
      inputs.add(new SnapshotRestoreInput(repo, snapshot, src, request.paths(), request.excludes(), readAhead,
          progress));
    }
    progress.totals(inputs.stream().mapToLong(i -> i.entries().size()).sum(),
        inputs.stream().mapToLong(SnapshotRestoreInput::bytes).sum());
    List<RestoreResult> results = new ArrayList<>();
    for (SnapshotRestoreInput input : inputs) {
      Restorer restorer = request.restorers().get(input.sourceName());
      if (restorer == null) {
        restorer = DirectoryRestorer.to(directorySources == 1 ? request.destination()
            : sourceDirectory(request.destination(), input.sourceName())).overwrite(request.overwrite());
      }
      if (restorer instanceof DirectoryRestorer || restorer instanceof DumpRestorer) {
        input.readInListOrder(); // it writes every file in list order: contents can be read in batches
      }
      try {
        results.add(restorer.restore(input));
      } catch (IOException e) {
        throw new RestoreException("restoring source '" + input.sourceName() + "' of snapshot "
            + snapshot.id().shortHex() + " failed: " + e.getMessage(), e);
      } finally {
        input.release(); // on failure too: no reading ahead for a restore that is over
      }
    }
    progress.emit();
    return new RestoreReport(snapshot, results, Duration.ofNanos(System.nanoTime() - start));
  }

  /** The subdirectory of {@code destination} for source {@code name}; never outside it. */
  static Path sourceDirectory(Path destination, String name) {
    Path base = destination.toAbsolutePath().normalize();
    Path p = base.resolve(name.replaceAll("^/+", "")).normalize();
    if (!p.startsWith(base) || p.equals(base)) {
      String safe = name.replaceAll("[^A-Za-z0-9._-]", "_");
      if (safe.isEmpty() || safe.chars().allMatch(c -> c == '.')) {
        safe = "_" + safe; // '.', '..': the destination itself or its parent
      }
      p = base.resolve(safe);
    }
    return p;
  }

  /** Verifies the repository; see {@link #verify(boolean, ProgressListener)}. */
  public VerifyReport verify(boolean readData) {
    return verify(readData, ProgressListener.NONE);
  }

  /**
   * Checks the repository: every snapshot, tree and chunk referenced must be in the index and its
   * pack in storage; with {@code readData}, every pack is also read, decrypted and every chunk id
   * recomputed. Damage is reported, never thrown: the report names the damaged packs, snapshots and
   * paths.
   */
  public VerifyReport verify(boolean readData, ProgressListener progress) {
    return verify(readData ? DataSubset.all() : DataSubset.none(), progress);
  }

  /**
   * Checks the repository's structure as {@link #verify(boolean, ProgressListener)} does, and reads,
   * decrypts and re-hashes the packs of {@code subset} (all, none, a group such as {@code 2/4}, a
   * random share or a random amount of data). Damage in packs that were not read is not found; the
   * report says which subset was read.
   */
  public VerifyReport verify(DataSubset subset, ProgressListener progress) {
    Objects.requireNonNull(subset, "subset");
    try (Lock lock = repo.lock(false)) {
      return Verifier.verify(repo, subset, packs -> subset.select(packs,
          p -> repo.packContents(p).stream().mapToLong(b -> b.length()).sum()), progress, readAhead);
    }
  }

  /**
   * Writes a sound index: one new index file listing every pack in storage whose header is readable,
   * replacing all old index files (restic's {@code repair index}). Packs listed by sound index files
   * are taken from them unless {@code readAllPacks}; the headers of the others are read (packs listed
   * only by a damaged index file, or by none after an interrupted backup). Opening a repository with a
   * damaged index file works (its packs are indexed from their headers, with a warning) but prune
   * refuses to run until the index is repaired. Takes the exclusive lock.
   *
   * @throws RepositoryLockedException if a backup or another maintenance holds a lock
   * @throws StorageException if storage fails while reading; nothing is changed then
   */
  public IndexRepairReport repairIndex(boolean readAllPacks) {
    long start = System.nanoTime();
    EncryptedRepository.IndexRepair r;
    try (Lock lock = repo.lock(true)) {
      r = repo.repairIndex(readAllPacks);
    }
    return new IndexRepairReport(r.indexFilesReplaced(),
        r.damagedIndexFiles().stream().map(id -> "index/" + id.hex()).toList(), r.packsIndexed(), r.headersRead(),
        r.unreadablePacks().stream().map(ObjectId::hex).toList(), r.packsGone(),
        Duration.ofNanos(System.nanoTime() - start), r.damagedHeaders().stream().map(ObjectId::hex).toList());
  }

  /**
   * Replaces damaged and missing packs (restic's {@code repair packs}): reads and checks the packs
   * {@code packs} names (ids or unique prefixes, as {@code verify} prints them; every pack when empty),
   * twice before calling one damaged; a read that fails or ends early stops it before anything changes.
   * For each damaged or missing pack, every blob it held stays where another pack holds it intact, else
   * is salvaged if it still reads back intact, else read from {@code from} if given, a copy of this
   * repository that shares its chunking (one made by a plan's copies, or with {@link Builder#chunkingFrom}),
   * else it is lost and leaves the index (the next backup stores it again if some file still holds that
   * data). New packs and one new index are written, then the replaced packs and the old index files
   * deleted; an interrupted repair is finished by running it again. With {@code from} and no packs
   * named, blobs that snapshots need and no pack holds are read from the copy too. Takes the exclusive
   * lock (and a shared one on {@code from}).
   *
   * @param packs pack ids or unique prefixes to check; every pack when empty
   * @param from a copy to read lost blobs from, or null
   * @param dryRun check and read everything, write and delete nothing
   * @param progress receives packs (as files) and their stored bytes checked
   * @throws IntegrityException if an index file is damaged: run {@link #repairIndex} first
   * @throws ConfigurationException if {@code from} does not share this repository's chunking
   * @throws StorageException if storage fails; the damaged packs stay indexed, and running it again
   *     finishes the repair
   */
  public PackRepairReport repairPacks(List<String> packs, Repository from, boolean dryRun) {
    return repairPacks(packs, from, dryRun, ProgressListener.NONE);
  }

  /** As {@link #repairPacks(List, Repository, boolean)}, reporting the packs checked to {@code progress}. */
  public PackRepairReport repairPacks(List<String> packs, Repository from, boolean dryRun,
      ProgressListener progress) {
    long start = System.nanoTime();
    if (from != null && sameStorage(from.repo.storage().location(), repo.storage().location())) {
      throw new ConfigurationException("the copy to repair from, " + from.repo.storage().location()
          + ", is this repository (" + repo.storage().location() + "); name another copy");
    }
    PackRepair.Result r;
    try (Lock lock = repo.lock(!dryRun);
        Lock fromLock = from == null ? null : from.repo.lock(false)) {
      r = PackRepair.run(repo, packs, from == null ? null : from.repo, dryRun, progress, readAhead);
    }
    return new PackRepairReport(r.packsChecked(), hex(r.repairedPacks()), r.blobsSalvaged(), r.blobsFromCopy(),
        hex(r.lostBlobs()), hex(r.newPacks()), r.problems(), dryRun, Duration.ofNanos(System.nanoTime() - start));
  }

  /**
   * Whether two storage locations are the same place: local directories by their real path (a symlink
   * or a trailing slash names the same one), others by location. A file-level mirror of a repository
   * (same repository id, another place) is another copy.
   */
  private static boolean sameStorage(String a, String b) {
    if (a.startsWith("local:") && b.startsWith("local:")) {
      try {
        return java.nio.file.Path.of(a.substring(6)).toRealPath()
            .equals(java.nio.file.Path.of(b.substring(6)).toRealPath());
      } catch (IOException e) {
        return false;
      }
    }
    return a.equals(b);
  }

  private static List<String> hex(List<ObjectId> ids) {
    return ids.stream().map(ObjectId::hex).toList();
  }

  /**
   * Sizes of the snapshots {@code refs} names ({@code latest}, ids or prefixes; every readable snapshot
   * when empty): what restoring them writes, from the snapshots alone; with {@code countData}, also the
   * distinct chunks and trees they need and their raw and stored sizes, found by reading every tree
   * once (trees shared between the snapshots are read once). For planning a restore (disk space,
   * time against the RTO) and for seeing what a snapshot costs.
   *
   * @param refs {@code latest}, snapshot ids or unique prefixes; every readable snapshot when empty
   * @param countData also count the distinct chunks and trees the snapshots need (reads every tree once)
   * @throws IntegrityException if {@code countData} and a tree cannot be read
   */
  public SnapshotStats stats(List<String> refs, boolean countData) {
    Objects.requireNonNull(refs, "refs");
    try (Lock lock = repo.lock(false)) {
      List<Snapshot> chosen = chosen(refs);
      long entries = chosen.stream().flatMap(s -> s.sources().stream()).mapToLong(SnapshotSource::entries).sum();
      long bytes = chosen.stream().mapToLong(Snapshot::bytes).sum();
      if (!countData) {
        return new SnapshotStats(chosen.size(), entries, bytes, -1, -1, -1, -1);
      }
      java.util.Set<ObjectId> trees = new java.util.HashSet<>();
      java.util.Set<ObjectId> chunks = new java.util.HashSet<>();
      chosen.forEach(s -> s.sources().forEach(src -> TreeWalker.reachable(src.tree(), repo::readBlob, trees, chunks)));
      long raw = 0;
      long stored = 0;
      for (java.util.Set<ObjectId> ids : List.of(trees, chunks)) {
        for (ObjectId id : ids) {
          var loc = repo.lookup(id).orElseThrow(() -> new IntegrityException("blob " + id.shortHex()
              + " that the snapshots need is in no pack; run 'cairn verify'"));
          raw += loc.uncompressedLength();
          stored += loc.length();
        }
      }
      return new SnapshotStats(chosen.size(), entries, bytes, chunks.size(), trees.size(), raw, stored);
    }
  }

  /**
   * The ids of the repository's objects of {@code kind}, sorted, for scripts and for looking inside a
   * damaged repository (restic's {@code list}): {@code snapshots}, {@code index}, {@code packs},
   * {@code keys}, {@code locks}, or {@code blobs} ({@code "data <id>"} / {@code "tree <id>"} per blob
   * the index lists).
   *
   * @throws ConfigurationException if {@code kind} is none of those
   */
  public List<String> list(String kind) {
    return dev.cairn.backup.internal.repository.Inspect.list(repo, kind);
  }

  /**
   * One object of the repository, decrypted and checked (restic's {@code cat}): {@code config} (no ref),
   * or {@code snapshot}, {@code index}, {@code key}, {@code lock}, {@code pack} (its header) by id or
   * unique prefix, as JSON; {@code tree} (JSON) or {@code blob} (its plaintext bytes) by full id.
   *
   * @throws ConfigurationException if {@code kind} is none of those, or {@code ref} is missing or malformed
   * @throws BackupException if {@code ref} names no object or several
   * @throws IntegrityException if the object is damaged
   */
  public byte[] cat(String kind, String ref) {
    return dev.cairn.backup.internal.repository.Inspect.cat(repo, kind, ref);
  }

  /** The key slots; the one that opened this repository is marked current. */
  public List<RepositoryKey> keys() {
    return repo.keys().stream().map(Repository::toKey).toList();
  }

  private static RepositoryKey toKey(KeyInfo k) {
    String host = k.user() == null || k.user().isEmpty() ? k.host() : k.user() + "@" + k.host();
    return new RepositoryKey(k.id(), k.created(), host, k.current());
  }

  /** Adds a key slot for {@code passphrase}; the repository then opens with either. Returns the new slot. */
  public RepositoryKey addKey(Secret passphrase) {
    ObjectId id = repo.addKey(passphrase);
    return keys().stream().filter(k -> k.id().equals(id)).findFirst()
        .orElse(new RepositoryKey(id, null, "", false));
  }

  /**
   * Removes the key slot {@code id} (a full id or a unique prefix).
   *
   * @throws IllegalArgumentException if no or several slots match, or it is the last one
   */
  public void removeKey(String id) {
    String p = id.trim().toLowerCase(Locale.ROOT);
    List<RepositoryKey> matches = keys().stream().filter(k -> k.id().hex().startsWith(p)).toList();
    if (p.isEmpty() || matches.isEmpty()) {
      throw new IllegalArgumentException("no key slot with id '" + id + "'; list them with 'cairn key list'");
    }
    if (matches.size() > 1) {
      throw new IllegalArgumentException("key id prefix '" + id + "' is ambiguous; give more digits");
    }
    repo.removeKey(matches.get(0).id());
  }

  /** Replaces the passphrase of the slot that opened this repository; returns the new slot. */
  public RepositoryKey changePassphrase(Secret newPassphrase) {
    ObjectId id = repo.changePassphrase(newPassphrase);
    return keys().stream().filter(k -> k.id().equals(id)).findFirst()
        .orElse(new RepositoryKey(id, null, "", true));
  }

  /**
   * Applies a retention policy: deletes the snapshots it removes. Their data stays until
   * {@link #prune}. Takes the exclusive lock (a dry run a shared one), so no backup runs meanwhile.
   *
   * <pre>{@code
   * RetentionPlan plan = repo.forget(Retention.policy().keepDaily(7).keepWeekly(4), true);
   * System.out.print(plan.render());   // the dry run: what would be kept and removed, and why
   * }</pre>
   *
   * @param policy which snapshots to keep
   * @param dryRun decide and report only, delete nothing
   * @return every decision with its reasons
   * @throws ConfigurationException if the policy would remove every snapshot of a group (see
   *     {@link Retention#allowRemoveAll()})
   * @throws RepositoryLockedException if a backup or another maintenance holds a lock
   */
  public RetentionPlan forget(Retention policy, boolean dryRun) {
    return Forgetter.forget(repo, policy, repo.options().clock(), dryRun, Duration.ZERO);
  }

  /**
   * Removes the snapshots {@code refs} name (full ids or unique prefixes), as restic's
   * {@code forget ID...} does; their data goes with {@link #prune}. A damaged snapshot file is removed
   * like any other, without reading it. Takes the exclusive lock (a shared one for a dry run).
   *
   * @param dryRun only resolve the refs, remove nothing
   * @return the ids removed (or that would be)
   * @throws BackupException naming a ref that matches no snapshot or several, before anything is removed
   * @throws RepositoryLockedException if a backup or another maintenance holds a lock
   */
  public List<ObjectId> forget(List<String> refs, boolean dryRun) {
    Objects.requireNonNull(refs, "refs");
    try (Lock lock = repo.lock(!dryRun)) {
      return Forgetter.forgetIds(repo, refs, dryRun);
    }
  }

  /**
   * Changes the tags of the snapshots {@code refs} name ({@code latest}, ids or unique prefixes), as
   * restic's {@code tag} does: {@code set} (when not null) replaces their tags, then {@code add} and
   * {@code remove} apply. A snapshot whose tags change is written anew (it gets a new id) before its old
   * file is deleted, so a crash leaves both, never neither; running it again then removes the old one
   * without writing the new one twice. Copies already made elsewhere keep their
   * tags; {@code copy} does not copy a snapshot again because its tags changed. Takes the exclusive lock.
   *
   * @return the snapshots as they are now, in the order of {@code refs}
   * @throws BackupException naming a ref that matches no snapshot or several, before anything changes
   */
  public List<Snapshot> tag(List<String> refs, List<String> set, List<String> add, List<String> remove) {
    Objects.requireNonNull(refs, "refs");
    Objects.requireNonNull(add, "add");
    Objects.requireNonNull(remove, "remove");
    try (Lock lock = repo.lock(true)) {
      List<Snapshot> chosen = refs.stream().map(r -> Snapshots.resolve(repo, r, null, null)).distinct().toList();
      List<Snapshot> out = new ArrayList<>();
      List<Snapshot> existing = null;
      for (Snapshot s : chosen) {
        java.util.LinkedHashSet<String> tags = new java.util.LinkedHashSet<>(set != null ? set : s.tags());
        add.stream().filter(t -> !t.isBlank()).forEach(tags::add);
        tags.removeAll(remove);
        List<String> now = List.copyOf(tags);
        if (now.equals(s.tags())) {
          out.add(s);
          continue;
        }
        Snapshot wanted = new Snapshot(s.id(), s.time(), s.host(), s.plan(), now, s.parent(), s.sources(), s.checks(),
            s.complete());
        if (existing == null) {
          existing = new ArrayList<>(Snapshots.readable(repo));
        }
        // an earlier run that stopped before removing the old file wrote this very snapshot: not written twice
        Snapshot saved = existing.stream().filter(t -> !t.id().equals(s.id()) && t.equals(new Snapshot(t.id(),
            wanted.time(), wanted.host(), wanted.plan(), wanted.tags(), wanted.parent(), wanted.sources(),
            wanted.checks(), wanted.complete()))).findFirst().orElse(null);
        if (saved == null) {
          saved = Snapshots.save(repo, wanted);
          existing.add(saved);
        }
        repo.delete(dev.cairn.backup.internal.repository.FileType.SNAPSHOT, s.id());
        out.add(saved);
      }
      return out;
    }
  }

  /**
   * Writes new snapshots without the entries that {@code excludes} match (restic's {@code rewrite}):
   * a file or secret that should never have been backed up, or a directory too large to keep. Only
   * {@code files} sources are rewritten: database and stream sources are restored whole and checked
   * against what was recorded, so they are left as they are. Globs are relative to each source's root,
   * as for {@link FileSource#exclude}; a matching directory goes with everything below it. Each snapshot
   * of {@code refs} ({@code latest}, ids or prefixes; every snapshot when empty) that holds a matching
   * entry is written anew, tagged {@code rewrite}, with the same time, host, plan and parent; only its
   * changed trees are stored. All new trees are stored before any snapshot is written, so a tree that
   * cannot be read fails the call with nothing written or removed. With {@code forget}, each original
   * is then deleted (prune frees what only it needed); without, both stay. Snapshots nothing matches in
   * are left alone. Takes the exclusive lock.
   *
   * @return one entry per snapshot rewritten (or that would be, in a dry run)
   * @throws IllegalArgumentException if {@code excludes} is empty or holds a malformed glob
   * @throws IntegrityException if a tree cannot be read ({@link #repairSnapshots} handles that)
   */
  public List<SnapshotRewrite> rewrite(List<String> refs, List<String> excludes, boolean forget, boolean dryRun) {
    return rewrite(refs, excludes, forget, dryRun, ProgressListener.NONE);
  }

  /** As {@link #rewrite(List, List, boolean, boolean)}, reporting the trees read to {@code progress}. */
  public List<SnapshotRewrite> rewrite(List<String> refs, List<String> excludes, boolean forget, boolean dryRun,
      ProgressListener progress) {
    Objects.requireNonNull(refs, "refs");
    if (excludes.isEmpty()) {
      throw new IllegalArgumentException("rewrite needs at least one exclude glob: what to leave out");
    }
    List<dev.cairn.backup.internal.source.Glob> globs = dev.cairn.backup.internal.source.Glob.compileAll(excludes);
    try (Lock lock = repo.lock(!dryRun)) {
      // a prune elsewhere may have deleted blobs this session's index still lists: never reuse those
      repo.refreshIndex();
      return toRewrites(SnapshotRewriter.rewrite(repo, Snapshots.readable(repo), chosen(refs),
          src -> src.type().equals(FileSource.TYPE),
          (path, node) -> dev.cairn.backup.internal.source.Glob.any(globs, path) ? "excluded" : null,
          false, "rewrite", true, forget, dryRun, progress));
    }
  }

  /**
   * Writes new snapshots without what the repository has lost (restic's {@code repair snapshots}):
   * files with a chunk that no pack holds are left out, and a directory whose listing is in no pack is
   * restored empty, in every source (the snapshot is marked incomplete; a database source keeps its
   * recorded verification data, so a restore reports what is missing). Run {@link #repairPacks} first
   * (with a copy, it may bring the data back; it also takes lost blobs out of the index, which this
   * relies on): a tree that is indexed but damaged stops this, with nothing changed. Each affected snapshot of {@code refs}
   * (every snapshot when empty) is written anew, tagged {@code repair} and marked incomplete; with
   * {@code forget}, the original is deleted, after which prune runs again. Takes the exclusive lock.
   *
   * @return one entry per snapshot repaired (or that would be, in a dry run), naming what was left out
   * @throws IntegrityException if the index lists packs missing from storage ({@link #repairPacks} first)
   */
  public List<SnapshotRewrite> repairSnapshots(List<String> refs, boolean forget, boolean dryRun) {
    return repairSnapshots(refs, forget, dryRun, ProgressListener.NONE);
  }

  /** As {@link #repairSnapshots(List, boolean, boolean)}, reporting the trees read to {@code progress}. */
  public List<SnapshotRewrite> repairSnapshots(List<String> refs, boolean forget, boolean dryRun,
      ProgressListener progress) {
    Objects.requireNonNull(refs, "refs");
    try (Lock lock = repo.lock(!dryRun)) {
      repo.refreshIndex();
      java.util.Set<ObjectId> stored = new java.util.HashSet<>(repo.list(
          dev.cairn.backup.internal.repository.FileType.PACK));
      long missing = repo.packs().stream().filter(p -> !stored.contains(p)).count();
      if (missing > 0) {
        throw new IntegrityException("repair snapshots stopped before changing anything: the index lists " + missing
            + " pack" + (missing == 1 ? "" : "s") + " missing from storage; run 'cairn repair packs' first (with --from"
            + " another copy, it may bring the data back)");
      }
      return toRewrites(SnapshotRewriter.rewrite(repo, Snapshots.readable(repo), chosen(refs), src -> true,
          (path, node) -> {
        for (ObjectId chunk : node.content()) {
          if (!repo.hasBlob(chunk)) {
            return "chunk " + chunk.shortHex() + " is in no pack";
          }
        }
        return null;
      }, true, "repair", false, forget, dryRun, progress));
    }
  }

  private List<Snapshot> chosen(List<String> refs) {
    return refs.isEmpty() ? Snapshots.readable(repo)
        : refs.stream().map(r -> Snapshots.resolve(repo, r, null, null)).distinct().toList();
  }

  private static List<SnapshotRewrite> toRewrites(List<SnapshotRewriter.Change> changes) {
    return changes.stream().map(c -> new SnapshotRewrite(c.original(), c.rewritten(), c.removed(), c.removedPaths(),
        c.removedEntries(), c.removedBytes(), c.existed())).toList();
  }

  /**
   * Like {@link #forget(Retention, boolean)}, but only for the snapshots of plan {@code plan}: other
   * plans' snapshots in a shared repository are neither counted nor removed. {@link BackupPlan} applies
   * its targets' retention this way.
   */
  public RetentionPlan forget(Retention policy, boolean dryRun, String plan) {
    Objects.requireNonNull(plan, "plan");
    return Forgetter.forget(repo, policy, repo.options().clock(), dryRun, Duration.ZERO, s -> s.plan().equals(plan));
  }

  /**
   * Removes the data no snapshot needs any more: marks every blob the snapshots reach, repacks mostly
   * unused packs, writes a new index, then deletes the old indexes and packs, in that order and under
   * the exclusive lock, so that a prune interrupted at any point loses nothing a snapshot needs.
   * Packs younger than the safety window are left alone; a dry run changes nothing and takes only a
   * shared lock. See docs/retention.md.
   *
   * @throws RepositoryLockedException if backups hold locks for longer than {@link PruneOptions#lockWait()}
   * @throws IntegrityException if a snapshot or tree is unreadable or a needed blob is missing (nothing
   *     is changed then; run {@link #verify})
   */
  public PruneReport prune(PruneOptions options) {
    return Pruner.prune(repo, options, repo.options().clock(), Pruner.Listener.NONE);
  }

  /**
   * A dry run of {@link #prune} as if the snapshots {@code asIfForgotten} were gone: what a
   * {@code forget} dry run followed by a prune would do (the forget's dry run removed nothing).
   *
   * @throws IllegalArgumentException unless {@code options} is a dry run
   */
  public PruneReport prune(PruneOptions options, java.util.Collection<ObjectId> asIfForgotten) {
    return Pruner.prune(repo, options, java.util.Set.copyOf(asIfForgotten), repo.options().clock(), Pruner.Listener.NONE);
  }

  /**
   * Removes stale locks left by crashed processes ({@code cairn unlock}); with {@code removeAll}, every
   * lock, also live ones (only when no other process uses the repository).
   *
   * @return how many locks were removed
   */
  public int unlock(boolean removeAll) {
    return repo.removeLocks(removeAll);
  }

  /** Sizes: snapshots, packs, distinct chunks and trees, stored bytes and logical bytes. */
  public RepositoryStats stats() {
    var s = repo.stats();
    List<Snapshot> snapshots = snapshots();
    long stored = 0;
    try {
      for (StorageObject o : repo.storage().list("")) {
        stored += o.size();
      }
    } catch (IOException e) {
      throw new StorageException("cannot list " + location() + ": " + e.getMessage(), false, e);
    }
    return new RepositoryStats(snapshots.size(), s.packs(), s.dataBlobs(), s.treeBlobs(), s.uncompressedBytes(),
        stored, snapshots.stream().mapToLong(Snapshot::bytes).sum());
  }

  /** Copies every snapshot this repository has to {@code destination}; see {@link #copyTo(Repository, List, ProgressListener)}. */
  public CopyReport copyTo(Repository destination) {
    return copyTo(destination, List.of(), ProgressListener.NONE);
  }

  /**
   * Copies snapshots to {@code destination} (3-2-1: another drive, S3, SFTP), transferring only the
   * blobs the destination lacks. A snapshot the destination already holds (the same snapshot, copied
   * before; snapshots are matched by content, not by id) is skipped. The destination may have another
   * passphrase: blobs are decrypted, checked and re-encrypted. If the destination was created with
   * this repository's chunking ({@link Builder#chunkingFrom}), blobs keep their ids and deduplicate
   * against everything already there; otherwise their ids are recomputed with the destination's key.
   * An interrupted copy keeps what it flushed, and the next copy transfers only the rest; each
   * snapshot is written last. See docs/copy.md.
   *
   * @param snapshots {@code latest}, ids or id prefixes; empty for every snapshot
   * @throws BackupException naming a reference that matches no snapshot
   * @throws IntegrityException if data read from this repository is damaged (nothing of that
   *     snapshot is committed in the destination)
   * @throws StorageException if either storage fails; run the copy again to resume
   */
  public CopyReport copyTo(Repository destination, List<String> snapshots, ProgressListener progress) {
    Objects.requireNonNull(destination, "destination");
    Objects.requireNonNull(snapshots, "snapshots");
    List<ObjectId> damaged = new ArrayList<>();
    List<Snapshot> wanted = snapshots.isEmpty() ? Snapshots.all(repo, (id, e) -> {
      LOG.warn("snapshot {} cannot be read and is not copied: {}", id.shortHex(), e.getMessage());
      damaged.add(id);
    }) : snapshots.stream().map(this::snapshot).distinct().toList();
    CopyReport r = copySnapshots(destination, wanted, "", progress);
    return new CopyReport(r.target(), r.destination(), r.copied(), r.alreadyPresent(), r.sharedChunking(),
        r.blobsCopied(), r.bytesCopied(), r.bytesStored(), r.duration(), r.failure(), damaged);
  }

  CopyReport copySnapshots(Repository destination, List<Snapshot> wanted, String target, ProgressListener progress) {
    if (destination == this || destination.repo == repo) {
      throw new IllegalArgumentException("cannot copy repository " + location() + " to itself");
    }
    if (sameStorage(destination.repo.storage().location(), repo.storage().location())) {
      // the same place by another path (a symlink): every snapshot would look "already present"
      throw new ConfigurationException("cannot copy repository " + location() + " to itself ("
          + destination.location() + " is the same place)");
    }
    return dev.cairn.backup.internal.copy.SnapshotCopier.copy(repo, destination.repo, wanted, target,
        Objects.requireNonNull(progress, "progress"));
  }

  /** Stops the repository's threads; unflushed data of a running backup is dropped. Idempotent. */
  @Override
  public void close() {
    readAhead.shutdownNow();
    repo.close();
  }

  @Override
  public String toString() {
    return "Repository[" + location() + "]";
  }

  /**
   * Opens or creates a {@link Repository}. Mutable, single-threaded; {@link #open()} or
   * {@link #init()} finishes it.
   */
  public static final class Builder {
    private final Storage storage;
    private Secret passphrase;
    private final RepositoryOptions.Builder options = RepositoryOptions.builder();
    private Repository chunkingFrom;

    private Builder(Storage storage) {
      this.storage = Objects.requireNonNull(storage, "storage");
    }

    /** The passphrase (required). */
    public Builder passphrase(Secret passphrase) {
      this.passphrase = Objects.requireNonNull(passphrase, "passphrase");
      return this;
    }

    /** Compression for new data (default: the repository's, zstd level 3 for a new one). */
    public Builder compression(Compression compression) {
      options.compression(compression.codec().equals("none")
          ? dev.cairn.backup.internal.compress.Compression.none()
          : dev.cairn.backup.internal.compress.Compression.zstd(compression.level()));
      return this;
    }

    /** Chunk sizes of a new repository (ignored by {@link #open()}; default 512 KiB / 1 MiB / 8 MiB). */
    public Builder chunking(Chunking chunking) {
      options.chunker(new ChunkerParams(chunking.min(), chunking.average(), chunking.max()));
      return this;
    }

    /**
     * For {@link #init()}: share the chunk id key, chunker seed and chunk sizes of {@code existing}
     * (an open repository; its encryption key and passphrase are not shared), so the same content gets
     * the same chunk ids in both and {@link Repository#copyTo copies} between them deduplicate, like
     * restic's {@code init --copy-chunker-params}. Ignored by {@link #open()}.
     */
    public Builder chunkingFrom(Repository existing) {
      this.chunkingFrom = Objects.requireNonNull(existing, "existing");
      return this;
    }

    /** Threads compressing and encrypting (default: the number of cores, as many as a quarter of the heap holds pack buffers for). */
    public Builder workers(int workers) {
      options.workers(workers);
      return this;
    }

    /** Runs the compress/encrypt workers on {@code executor} instead of threads of their own. */
    public Builder executor(Executor executor) {
      options.executor(executor);
      return this;
    }

    /**
     * Plaintext bytes accepted for packing but not yet packed before a backup waits (default: workers
     * × 2 × the chunker maximum, at least 16 MiB); with the pack size and workers, this bounds memory.
     */
    public Builder maxInFlightBytes(long bytes) {
      options.maxInFlightBlobBytes(bytes);
      return this;
    }

    /** Target pack size in bytes (default 16 MiB). */
    public Builder packSize(int bytes) {
      options.packSize(bytes);
      return this;
    }

    /**
     * Argon2id costs for key slots written by this session (default 64 MiB, 3 passes, 1 lane).
     * Lower costs make a guessed passphrase cheaper to test: keep the default outside tests.
     */
    public Builder keyDerivation(int memoryKiB, int iterations, int parallelism) {
      options.argon2(new Argon2Parameters(memoryKiB, iterations, parallelism));
      return this;
    }

    /** The clock for lock and key times (default: system UTC). */
    public Builder clock(Clock clock) {
      options.clock(clock);
      return this;
    }

    /** The host name recorded in locks and keys (default: the local host name). */
    public Builder host(String host) {
      options.hostname(host);
      return this;
    }

    /**
     * Opens the existing repository.
     *
     * @throws RepositoryNotFoundException if the storage holds no repository
     * @throws WrongPassphraseException if the passphrase opens no key slot
     * @throws IllegalStateException if no passphrase was given
     */
    public Repository open() {
      return new Repository(EncryptedRepository.open(storage, requirePassphrase(), options.build()));
    }

    /**
     * Creates a new repository and opens it.
     *
     * @throws ConfigurationException if the storage already holds a repository
     * @throws IllegalStateException if no passphrase was given
     */
    public Repository init() {
      return new Repository(chunkingFrom == null
          ? EncryptedRepository.init(storage, requirePassphrase(), options.build())
          : EncryptedRepository.initSharingChunking(storage, requirePassphrase(), options.build(), chunkingFrom.repo));
    }

    /** Opens the repository, creating it first if the storage holds none. */
    public Repository openOrInit() {
      return exists(storage) ? open() : init();
    }

    private Secret requirePassphrase() {
      if (passphrase == null) {
        throw new IllegalStateException("a repository needs a passphrase");
      }
      return passphrase;
    }
  }
}

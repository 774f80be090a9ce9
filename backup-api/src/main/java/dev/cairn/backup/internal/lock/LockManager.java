package dev.cairn.backup.internal.lock;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.backup.BackupException;
import dev.cairn.backup.ObjectId;
import dev.cairn.backup.RepositoryLockedException;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes, refreshes and releases repository locks. A lock is taken by writing it first and then
 * listing the others: if a conflicting live lock exists, the new lock is deleted again and
 * {@link RepositoryLockedException} names the holder. Two racing takers may both back off; neither
 * can both succeed. Thread-safe.
 */
public final class LockManager {
  private static final Logger LOG = LoggerFactory.getLogger(LockManager.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  /** A process started this long after a lock's time cannot have written it (see {@link #writerRuns}). */
  private static final Duration PID_REUSE_MARGIN = Duration.ofSeconds(60);

  private final LockStore store;
  private final Clock clock;
  private final String host;
  private final Duration staleAfter;
  private final Duration refreshInterval;
  private final ScheduledExecutorService scheduler;
  private final Map<Lock, ScheduledFuture<?>> refreshers = new ConcurrentHashMap<>();

  /**
   * Creates a manager.
   *
   * @param scheduler runs the periodic refreshes (owned by the caller)
   */
  public LockManager(LockStore store, Clock clock, String host, Duration staleAfter, Duration refreshInterval,
      ScheduledExecutorService scheduler) {
    this.store = store;
    this.clock = clock;
    this.host = host;
    this.staleAfter = staleAfter;
    this.refreshInterval = refreshInterval;
    this.scheduler = scheduler;
  }

  /**
   * Takes a lock.
   *
   * @throws RepositoryLockedException naming the holder of a conflicting lock
   */
  public Lock acquire(boolean exclusive) {
    LockInfo mine = write(exclusive);
    List<LockInfo> conflicts = new ArrayList<>();
    List<LockInfo> all;
    try {
      all = stableList();
    } catch (RuntimeException e) {
      store.delete(mine.id());
      throw e;
    }
    for (LockInfo other : all) {
      if (!other.id().equals(mine.id()) && !other.stale() && (exclusive || other.exclusive())) {
        conflicts.add(other);
      }
    }
    if (!conflicts.isEmpty()) {
      store.delete(mine.id());
      LockInfo holder = conflicts.get(0);
      throw new RepositoryLockedException("repository is locked: " + holder.describe()
          + ". Wait for that operation to finish; if its process is gone, remove the lock (cairn unlock)"
          + " or wait until it is stale after " + staleAfter.toMinutes() + " minutes without refresh");
    }
    Lock lock = new Lock(this, mine);
    long every = refreshInterval.toMillis();
    refreshers.put(lock, scheduler.scheduleWithFixedDelay(() -> {
      try {
        if (lock.isHeld()) {
          lock.refresh();
        }
      } catch (RuntimeException e) {
        LOG.warn("could not refresh lock {}: {}", lock.info().id().shortHex(), e.toString());
      }
    }, every, every, TimeUnit.MILLISECONDS));
    return lock;
  }

  /** Lists all lock objects, marking stale ones; unreadable lock objects are skipped with a warning. */
  public List<LockInfo> list() {
    return list(null, false);
  }

  /**
   * As {@link #list()}, but listed again while a lock vanishes between the listing and its read: a
   * refresh writes a new lock object and then deletes the old one, so a listing taken just before the
   * new one appeared and read just after the old one went would show no lock at all while a backup holds
   * one. After several unsettled listings the locks are taken as held by someone (a conflict).
   */
  private List<LockInfo> stableList() {
    for (int attempt = 0; attempt < 8; attempt++) {
      boolean[] vanished = {false};
      List<LockInfo> locks = list(vanished, true);
      if (!vanished[0]) {
        return locks;
      }
      LOG.debug("a lock vanished while the locks were read; reading them again");
    }
    throw new RepositoryLockedException("repository is locked: its locks kept changing while they were read"
        + " (another operation is taking or refreshing its lock); try again");
  }

  /**
   * The locks; with {@code strict} (taking a lock), one the storage fails to read stops the listing, since
   * it may be live; otherwise (listing, removing stale locks) it is skipped with a warning like a damaged one.
   */
  private List<LockInfo> list(boolean[] vanished, boolean strict) {
    List<LockInfo> out = new ArrayList<>();
    Instant now = clock.instant();
    for (ObjectId id : store.list()) {
      try {
        out.add(parse(id, store.load(id), now));
      } catch (IOException | RuntimeException e) {
        if (e instanceof BackupException be && be.getCause() instanceof java.nio.file.NoSuchFileException) {
          if (vanished != null) {
            vanished[0] = true; // released, or replaced by a refresh, while listing
          }
          continue;
        }
        if (strict && e instanceof dev.cairn.backup.StorageException) {
          // the storage failed, the lock is not known to be damaged: it may be live, so nobody may take
          // it for absent (a prune would then run during a backup)
          throw (dev.cairn.backup.StorageException) e;
        }
        LOG.warn("ignoring unreadable lock {}: {}", id.shortHex(), e.getMessage());
      }
    }
    return out;
  }

  /** How long a lock may go without being written before others may take it for stale. */
  Duration staleAfter() {
    return staleAfter;
  }

  /**
   * How long a held lock may go unwritten before its holder must assume others took it for stale: half
   * the stale time (clocks differ between hosts), but never less than two refresh intervals.
   */
  Duration lapseAfter() {
    Duration twoRefreshes = refreshInterval.multipliedBy(2);
    Duration half = staleAfter.dividedBy(2);
    return twoRefreshes.compareTo(half) > 0 ? (twoRefreshes.compareTo(staleAfter) < 0 ? twoRefreshes : staleAfter)
        : half;
  }

  /** Removes stale locks; returns how many. */
  public int removeStale() {
    int n = 0;
    for (LockInfo l : list()) {
      if (l.stale()) {
        store.delete(l.id());
        n++;
      }
    }
    return n;
  }

  /** Removes every lock, live or not (for {@code cairn unlock --remove-all}); returns how many. */
  public int removeAll() {
    List<ObjectId> ids = store.list();
    ids.forEach(store::delete);
    return ids.size();
  }

  /** Releases every lock taken through this manager and still held (on repository close). */
  public void releaseAll() {
    for (Lock lock : List.copyOf(refreshers.keySet())) {
      try {
        lock.close();
      } catch (RuntimeException e) {
        LOG.warn("could not release lock {}: {}", lock.info().id().shortHex(), e.toString());
      }
    }
  }

  LockInfo refresh(Lock lock, LockInfo old) {
    LockInfo fresh = write(old.exclusive());
    store.delete(old.id());
    return fresh;
  }

  void release(Lock lock, LockInfo info) {
    ScheduledFuture<?> f = refreshers.remove(lock);
    if (f != null) {
      f.cancel(false);
    }
    store.delete(info.id());
  }

  private LockInfo write(boolean exclusive) {
    ObjectNode n = JSON.createObjectNode();
    Instant now = clock.instant();
    String user = System.getProperty("user.name", "unknown");
    long pid = ProcessHandle.current().pid();
    n.put("version", 1);
    n.put("host", host);
    n.put("pid", pid);
    n.put("user", user);
    n.put("time", now.toString());
    n.put("exclusive", exclusive);
    ObjectId id;
    try {
      id = store.save(JSON.writeValueAsBytes(n));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return new LockInfo(id, host, pid, user, now, exclusive, false);
  }

  /**
   * Whether the process of this host that wrote a lock at {@code time} (its last refresh) still runs. A
   * killed process's pid is soon given to another one on a busy host: a process with that pid that
   * started after the lock was written is not its writer. The margin covers the coarse start times the
   * OS reports and a step of the wall clock between two refreshes (the start time is computed from the
   * current clock, the lock's time from the clock of its last refresh): a live writer taken for dead would
   * let a prune run beside its backup. Without this, a backup killed with SIGKILL blocked prune, forget and a plan's retention
   * for 30 minutes, naming a pid that was no cairn process any more.
   */
  private static boolean writerRuns(long pid, Instant time) {
    if (pid == ProcessHandle.current().pid()) {
      return true;
    }
    Optional<ProcessHandle> p = ProcessHandle.of(pid);
    if (p.isEmpty() || !p.get().isAlive()) {
      return false;
    }
    Optional<Instant> started = p.get().info().startInstant();
    return started.isEmpty() || !started.get().isAfter(time.plus(PID_REUSE_MARGIN));
  }

  private LockInfo parse(ObjectId id, byte[] json, Instant now) throws IOException {
    JsonNode n = JSON.readTree(json);
    int version = n.path("version").asInt(-1);
    if (version != 1) {
      throw new IOException("lock format version " + version + " unknown");
    }
    String lockHost = n.path("host").asText();
    long pid = n.path("pid").asLong();
    Instant time = Instant.parse(n.path("time").asText());
    boolean stale = time.plus(staleAfter).isBefore(now) || (lockHost.equals(host) && !writerRuns(pid, time));
    return new LockInfo(id, lockHost, pid, n.path("user").asText(), time, n.path("exclusive").asBoolean(), stale);
  }
}

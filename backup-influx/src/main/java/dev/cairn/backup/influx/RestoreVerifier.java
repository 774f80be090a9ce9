package dev.cairn.backup.influx;

import dev.cairn.backup.spi.EntryMetadata;
import dev.cairn.backup.spi.RestoreInput;
import dev.cairn.backup.spi.Verification;
import dev.cairn.backup.spi.VerificationResult;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Checks a restored server against the verification data of the snapshot: every window is queried
 * back (by the same export code as the backup) and its count and checksum compared; every
 * measurement's totals are then derived from its windows.
 */
final class RestoreVerifier {
  /** Counts and checksums the points of the window described by a verification's attributes. */
  interface WindowMeasurer {
    WindowWriter measure(Map<String, String> attributes) throws IOException;
  }

  private RestoreVerifier() {}

  /** Verifies every restored window ({@code parallelism} at once), then every measurement. */
  static List<VerificationResult> verify(RestoreInput input, int parallelism, WindowMeasurer measurer)
      throws IOException {
    Set<String> restored = new HashSet<>();
    for (EntryMetadata e : input.entries()) {
      restored.add(e.path());
    }
    List<Verification> windows = new ArrayList<>();
    for (Verification v : input.verifications()) {
      if ("window".equals(v.attributes().get("kind")) && restored.contains(v.item() + ".lp")) {
        windows.add(v);
      }
    }
    Map<String, WindowWriter> actual = new ConcurrentHashMap<>();
    List<Errors.IoAction<Void>> tasks = new ArrayList<>();
    for (Verification v : windows) {
      tasks.add(() -> {
        actual.put(v.item(), measurer.measure(v.attributes()));
        return null;
      });
    }
    ParallelTasks.run(parallelism, tasks);
    List<VerificationResult> results = new ArrayList<>();
    for (Verification v : windows) {
      WindowWriter w = actual.get(v.item());
      results.add(w.count() == 0 && v.count() > 0 ? VerificationResult.missing(v)
          : VerificationResult.compare(v, w.count(), w.checksum()));
    }
    for (Verification v : input.verifications()) {
      if (!"measurement".equals(v.attributes().get("kind"))) {
        continue;
      }
      String range = v.attributes().getOrDefault("range", "");
      long windowNs = Long.parseLong(range.substring(range.lastIndexOf('/') + 1));
      String listed = v.attributes().getOrDefault("windows", "");
      List<String[]> checksums = new ArrayList<>();
      long count = 0;
      boolean all = true;
      for (String w : listed.isEmpty() ? new String[0] : listed.split(" ")) {
        String name = Windows.name(Long.parseLong(w), windowNs);
        WindowWriter ww = actual.get(v.item() + "/" + name);
        all &= ww != null;
        if (ww != null) {
          count += ww.count();
          checksums.add(new String[] {name, ww.checksum()});
        }
      }
      if (all) { // a measurement restored only in part is judged by its windows alone
        results.add(VerificationResult.compare(v, count, WindowedBackup.measurementChecksum(checksums)));
      }
    }
    return results;
  }
}

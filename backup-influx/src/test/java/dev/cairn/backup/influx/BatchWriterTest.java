package dev.cairn.backup.influx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.net.ConnectException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class BatchWriterTest {
  static final String POINTS = "m v=1i 1\nm v=2i 2\nm s=\"a\nb\" 3\nm v=4i 4\nm v=5i 5\n";

  @Test
  void retriesTransientFailuresAndWritesEveryPointInWholeBatches() throws Exception {
    List<String> written = Collections.synchronizedList(new ArrayList<>());
    AtomicInteger calls = new AtomicInteger();
    try (BatchWriter w = new BatchWriter(2, 3, 5, Duration.ofMillis(1))) {
      w.entry(new ByteArrayInputStream(POINTS.getBytes(StandardCharsets.UTF_8)), (lines, len) -> {
        int n = calls.incrementAndGet();
        if (n == 1) {
          throw new InfluxHttpException(503, "service unavailable");
        }
        if (n == 2) {
          throw new ConnectException("connection refused");
        }
        written.add(new String(lines, 0, len, StandardCharsets.UTF_8));
      });
      w.finish();
    }
    assertThat(written).containsExactlyInAnyOrder("m v=1i 1\nm v=2i 2\n", "m s=\"a\nb\" 3\nm v=4i 4\n", "m v=5i 5\n");
    assertThat(calls).hasValue(5);
  }

  @Test
  void doesNotRetryARejectedBatch() {
    assertThat(callsUntilFailure(5, new InfluxHttpException(400, "field type conflict"))).isEqualTo(1);
  }

  @Test
  void givesUpAfterTheConfiguredRetries() {
    assertThat(callsUntilFailure(2, new InfluxHttpException(500, "timeout"))).isEqualTo(3);
  }

  private static int callsUntilFailure(int retries, InfluxHttpException failure) {
    AtomicInteger calls = new AtomicInteger();
    assertThatThrownBy(() -> {
      try (BatchWriter w = new BatchWriter(10, 1, retries, Duration.ofMillis(1))) {
        w.entry(new ByteArrayInputStream(POINTS.getBytes(StandardCharsets.UTF_8)), (lines, len) -> {
          calls.incrementAndGet();
          throw failure;
        });
        w.finish();
      }
    }).isSameAs(failure);
    return calls.get();
  }
}

package com.suse.telemetry.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import jdk.jfr.Recording;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FlightSummaryTest {

  @Test
  void chargesEachClassToThePartItBelongsTo() {
    assertThat(FlightSummary.part("com.suse.telemetry.core.TelemetryValidator"))
        .isEqualTo("the collector's own code");
    assertThat(FlightSummary.part("org.postgresql.jdbc.PgArray")).startsWith("pgjdbc");
    assertThat(FlightSummary.part("com.networknt.schema.Schema")).startsWith("JSON Schema");
    assertThat(FlightSummary.part("java.lang.StringBuilder")).isEqualTo("the JDK alone");
    assertThat(FlightSummary.part("org.example.Unknown")).isEqualTo("other libraries");
  }

  @Test
  void summarizesARealRecordingOfThisProcess(@TempDir Path directory) throws Exception {
    Path file = directory.resolve("test.jfr");
    try (Recording recording = new Recording()) {
      recording.enable("jdk.ExecutionSample").withPeriod(Duration.ofMillis(10));
      recording.enable("jdk.GarbageCollection");
      recording.start();
      spin(Duration.ofMillis(500));
      System.gc();
      recording.stop();
      recording.dump(file);
    }

    FlightSummary summary = FlightSummary.of(file);

    assertThat(summary.samples()).isPositive();
    // The spinning is this class's own: charged to the collector's code, not to the JDK it calls.
    assertThat(summary.byPart()).containsKey("the collector's own code");
    assertThat(summary.byPart().values().stream().mapToLong(Long::longValue).sum())
        .isEqualTo(summary.samples());
    assertThat(summary.pauses()).isPositive();
    assertThat(summary.longestPause()).isPositive().isLessThanOrEqualTo(summary.paused());
    assertThat(summary.lines(3)).first().asString().contains("processor samples of its threads");
    assertThat(summary.lines(3)).last().asString().startsWith("  garbage collection: ");
  }

  private static long spin(Duration duration) {
    long sum = 0;
    long end = System.nanoTime() + duration.toNanos();
    while (System.nanoTime() < end) {
      for (int i = 0; i < 10_000; i++) {
        sum += Long.toString(i).hashCode();
      }
    }
    return sum;
  }
}

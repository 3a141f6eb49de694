package com.suse.telemetry.storage.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import com.suse.telemetry.core.Violation;
import com.suse.telemetry.core.quarantine.QuarantineFilter;
import com.suse.telemetry.core.quarantine.QuarantinedSubmission;
import com.suse.telemetry.core.quarantine.SubmissionRoute;
import com.suse.telemetry.core.spi.Quarantine;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class PostgresQuarantineTest {

  private static final Instant T0 = Instant.now().truncatedTo(ChronoUnit.MICROS);
  private static MigratedDatabase db;
  private static PostgresQuarantine quarantine;

  @BeforeAll
  static void migrate() {
    db = new MigratedDatabase();
    quarantine = PostgresQuarantine.create(db.dataSource);
  }

  @AfterAll
  static void close() {
    db.close();
  }

  @BeforeEach
  void empty() {
    db.jdbi.useHandle(handle -> handle.execute("TRUNCATE quarantine"));
  }

  /** A legacy Trento body refused for a negative cpu_count in host {@code n}. */
  private static QuarantinedSubmission entry(int n, Instant received, long times) {
    byte[] body = ("[{\"host\": " + n + ", \"cpu_count\": -1}]").getBytes(StandardCharsets.UTF_8);
    return new QuarantinedSubmission(
        0,
        HexFormat.of().formatHex(new byte[31]) + String.format("%02x", n),
        SubmissionRoute.LEGACY_TRENTO_HOSTS,
        "application/json",
        "trento",
        "host_telemetry",
        1,
        List.of(
            new Violation("/0/cpu_count", "must have a minimum value of 0"),
            new Violation("/0/agent_id", "is required but missing")),
        body,
        body.length,
        received,
        received,
        times);
  }

  private static long sizeInTable() {
    return db.jdbi.withHandle(
        handle ->
            handle
                .createQuery("SELECT coalesce(sum(size_bytes), 0) FROM quarantine")
                .mapTo(Long.class)
                .one());
  }

  @Test
  void keepsEachBodyOnceCountingRepeatsAndReadsItBackAsKept() {
    Quarantine.Kept first = quarantine.keep(List.of(entry(1, T0, 1), entry(2, T0, 2)), 1L << 20);
    Quarantine.Kept again =
        quarantine.keep(List.of(entry(1, T0.plusSeconds(5), 3), entry(3, T0, 1)), 1L << 20);

    assertThat(first.added()).isEqualTo(2);
    assertThat(again.added()).isEqualTo(1);
    assertThat(again.repeats()).isEqualTo(1);
    assertThat(again.usage().entries()).isEqualTo(3);
    assertThat(again.usage().bytes())
        .isEqualTo(sizeInTable())
        .isEqualTo(3 * entry(1, T0, 1).size());
    QuarantinedSubmission kept = quarantine.page(QuarantineFilter.all(), 0, 1).get(0);
    QuarantinedSubmission sent = entry(1, T0, 1);
    assertThat(kept.id()).isPositive();
    assertThat(kept.fingerprint()).isEqualTo(sent.fingerprint());
    assertThat(kept.body()).isEqualTo(sent.body());
    assertThat(kept.violations()).isEqualTo(sent.violations());
    assertThat(kept.timesReceived()).isEqualTo(4);
    assertThat(kept.firstReceived()).isEqualTo(T0);
    assertThat(kept.lastReceived()).isEqualTo(T0.plusSeconds(5));
    assertThat(quarantine.find(kept.id())).contains(kept);
    assertThat(quarantine.ids(QuarantineFilter.all(), kept.id(), 10))
        .hasSize(2)
        .allSatisfy(id -> assertThat(id).isGreaterThan(kept.id()));
    assertThat(quarantine.groups(10))
        .singleElement()
        .satisfies(
            group -> {
              assertThat(group.firstViolation())
                  .isEqualTo("/*/cpu_count: must have a minimum value of 0");
              assertThat(group.entries()).isEqualTo(3);
              assertThat(group.timesReceived()).isEqualTo(7);
            });
  }

  @Test
  void neverHoldsMoreThanItsCapDroppingWhatWasReceivedLongestAgo() {
    long size = entry(10, T0, 1).size(); // every entry below has the same size
    for (int i = 0; i < 30; i++) {
      Quarantine.Kept kept =
          quarantine.keep(List.of(entry(10 + i, T0.plusSeconds(i), 1)), 10 * size);
      assertThat(kept.usage().bytes()).isLessThanOrEqualTo(10 * size).isEqualTo(sizeInTable());
    }
    Quarantine.Kept batch =
        quarantine.keep(
            List.of(entry(50, T0.plusSeconds(40), 1), entry(51, T0.plusSeconds(41), 1)), 10 * size);

    assertThat(batch.droppedForSize()).isEqualTo(2);
    assertThat(quarantine.page(QuarantineFilter.all(), 0, 100))
        .extracting(e -> e.lastReceived().getEpochSecond() - T0.getEpochSecond())
        .containsExactly(22L, 23L, 24L, 25L, 26L, 27L, 28L, 29L, 40L, 41L);
  }

  @Test
  void dropsPurgesAndRemovesKeepingItsSizeRight() {
    for (int i = 0; i < 6; i++) {
      quarantine.keep(List.of(entry(i, T0.plus(Duration.ofDays(i)), 1)), 1L << 20);
    }

    assertThat(quarantine.dropReceivedBefore(T0.plus(Duration.ofDays(2)))).isEqualTo(2);
    QuarantineFilter recent = QuarantineFilter.all().since(T0.plus(Duration.ofDays(4)));
    assertThat(quarantine.count(recent)).isEqualTo(2);
    assertThat(quarantine.count(QuarantineFilter.ofType("trento/host_telemetry"))).isEqualTo(4);
    assertThat(quarantine.count(QuarantineFilter.ofType("sles/system_profile"))).isZero();
    assertThat(quarantine.purge(recent)).isEqualTo(2);
    long oldest = quarantine.page(QuarantineFilter.all(), 0, 1).get(0).id();
    assertThat(quarantine.remove(List.of(oldest, 999_999L))).isEqualTo(1);

    assertThat(quarantine.usage()).isEqualTo(new Quarantine.Usage(1, sizeInTable()));
  }
}

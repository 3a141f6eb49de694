package com.suse.telemetry.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What the purge command printed, as the retention measurement reads it. */
class PurgeCommandTest {

  private static final LocalDate CUTOFF = LocalDate.parse("2027-01-01");

  @Test
  void readsThePartitionsDroppedAndTheRecordsRemovedAmongTheLogLines() {
    String output =
        """
        2026-12-02T03:10:00.120Z [INFO] com.suse.telemetry.storage.postgres.PostgresRetention -\
         Dropped partition telemetry_before (0 rows)
        2026-12-02T03:10:01.480Z [INFO] com.suse.telemetry.storage.postgres.PostgresRetention -\
         Dropped partition telemetry_2026_12 (5000000 rows)
        dropped telemetry_before (0 records)
        dropped telemetry_2026_12 (5000000 records)
        removed 5000000 record(s) recorded before 2027-01-01T00:00:00Z, forgot 0 envelope id(s)
        """;

    Measurements.Purge purge = PurgeCommand.parse(CUTOFF, 3.25, output);

    assertThat(purge)
        .isEqualTo(
            new Measurements.Purge(
                CUTOFF,
                3.25,
                List.of(
                    new Measurements.DroppedPartition("telemetry_before", 0),
                    new Measurements.DroppedPartition("telemetry_2026_12", 5_000_000)),
                5_000_000,
                ""));
  }

  @Test
  void aPurgeThatDroppedNothingSaysSo() {
    Measurements.Purge purge =
        PurgeCommand.parse(
            CUTOFF,
            1,
            "removed 0 record(s) recorded before 2027-01-01T00:00:00Z, forgot 0 envelope id(s)\n");

    assertThat(purge.dropped()).isEmpty();
    assertThat(purge.rowsRemoved()).isZero();
  }

  @Test
  void aFailedPurgeIsKnownByWhatItSaidLast() {
    String output =
        """
        2026-12-02T07:19:11.137Z [INFO] ... Cannot drop the partitions older than 2027-01-01 yet
        Cannot purge: PostgreSQL failed to drop the partitions: ERROR: lock timeout (55P03)

        """;

    assertThat(PurgeCommand.lastLine(output))
        .isEqualTo(
            "Cannot purge: PostgreSQL failed to drop the partitions: ERROR: lock timeout (55P03)");
    assertThat(PurgeCommand.lastLine("\n")).isEqualTo("(no output)");
  }

  @Test
  void refusesOutputThatDoesNotSayWhatWasRemoved() {
    assertThatThrownBy(() -> PurgeCommand.parse(CUTOFF, 1, "Cannot purge: connection refused\n"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("Cannot purge");
  }
}

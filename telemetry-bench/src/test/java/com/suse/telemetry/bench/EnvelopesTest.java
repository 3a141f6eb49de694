package com.suse.telemetry.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.suse.telemetry.core.TelemetryRecord;
import java.nio.charset.StandardCharsets;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class EnvelopesTest {

  private static YearMonth monthOf(TelemetryRecord record) {
    return YearMonth.from(record.time().atOffset(ZoneOffset.UTC));
  }

  @Test
  void datesEveryRecordInTheMonthAskedForWhateverItsOffset() {
    // Enough templates to hold times late and early in a month, and +01:00 offsets.
    for (long seed = 0; seed < 40; seed++) {
      for (YearMonth month : List.of(YearMonth.of(2026, 12), YearMonth.of(2027, 2))) {
        List<TelemetryRecord> records =
            BenchmarkDatabase.records(new Envelopes(100, seed, 1, month).next());

        assertThat(records).hasSize(100).allSatisfy(r -> assertThat(monthOf(r)).isEqualTo(month));
      }
    }
  }

  @Test
  void keepsTheTemplatesTimesWhenNoMonthIsAskedFor() {
    List<TelemetryRecord> records = BenchmarkDatabase.records(new Envelopes(100, 7, 1).next());

    assertThat(records).allSatisfy(r -> assertThat(monthOf(r).getYear()).isEqualTo(2024));
  }

  @Test
  void everyEnvelopeCarriesNewRecords() {
    Envelopes envelopes = new Envelopes(10, 3, 1, YearMonth.of(2026, 12));
    Set<String> identities = new HashSet<>();
    for (int i = 0; i < 50; i++) {
      byte[] envelope = envelopes.next();
      assertThat(new String(envelope, StandardCharsets.UTF_8)).contains("\"time\":\"2026-12-");
      BenchmarkDatabase.records(envelope).forEach(r -> identities.add(r.identity()));
    }

    assertThat(identities).hasSize(500);
  }
}

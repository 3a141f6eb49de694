package com.suse.telemetry.storage.postgres;

import com.suse.telemetry.core.Submission;
import com.suse.telemetry.core.TelemetryRecord;
import com.suse.telemetry.testkit.TestTelemetry;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.jdbi.v3.core.Jdbi;

/** Records at chosen times, and where the table keeps them. */
final class TimedRecords {

  private TimedRecords() {}

  /** A Trento host record at {@code time}, its identity drawn from {@code random}. */
  static TelemetryRecord at(Instant time, Random random) {
    byte[] identity = new byte[16];
    random.nextBytes(identity);
    return new TelemetryRecord(
        TestTelemetry.TRENTO_HOSTS,
        time,
        Instant.parse("2024-06-01T12:00:00Z"),
        HexFormat.of().formatHex(identity),
        "{\"n\": " + random.nextInt() + "}");
  }

  /** {@code count} records in {@code month}, one a day from its first. */
  static Submission inMonth(YearMonth month, int count, Random random) {
    List<TelemetryRecord> records = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      Instant time =
          month
              .atDay(1 + i % month.lengthOfMonth())
              .atStartOfDay(ZoneOffset.UTC)
              .toInstant()
              .plusSeconds(i);
      records.add(at(time, random));
    }
    return Submission.of(records);
  }

  /** The month of {@code instant}, in UTC. */
  static YearMonth monthOf(Instant instant) {
    return YearMonth.from(instant.atOffset(ZoneOffset.UTC));
  }

  /** The partition that holds each record of the telemetry table, by record id. */
  static List<String> partitionsOf(Jdbi jdbi) {
    return jdbi.withHandle(
        handle ->
            handle
                .createQuery("SELECT tableoid::regclass::text FROM telemetry ORDER BY id")
                .mapTo(String.class)
                .list());
  }

  /** How many rows the table {@code name} holds. */
  static long rows(Jdbi jdbi, String name) {
    return jdbi.withHandle(
        handle ->
            handle
                .createQuery("SELECT count(*) FROM " + PartitionMaintenance.identifier(name))
                .mapTo(Long.class)
                .one());
  }
}

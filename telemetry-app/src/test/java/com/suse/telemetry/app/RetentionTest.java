package com.suse.telemetry.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.suse.telemetry.storage.postgres.RetentionSettings;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Retention while the collector runs, and purge on demand, on records stored through it. */
class RetentionTest {

  /** One Trento host recorded at {@code time}, in an envelope of its own. */
  private static byte[] hostAt(String time) {
    return ("{\"application\":\"trento\",\"telemetry_type\":\"host_telemetry\",\"id\":\""
            + UUID.randomUUID()
            + "\",\"time\":\""
            + time
            + "\",\"payload\":[{\"installation_id\":\"7826342e-8888-8888-8888-253f89af9127\","
            + "\"agent_id\":\""
            + UUID.randomUUID()
            + "\",\"sles_version\":\"15-SP5\",\"cpu_count\":2,\"socket_count\":1,"
            + "\"total_memory_mb\":4096,\"cloud_provider\":\"aws\",\"time\":\""
            + time
            + "\"}]}")
        .getBytes(StandardCharsets.UTF_8);
  }

  private static void store(TestCollector collector, String... times) {
    for (String time : times) {
      assertThat(collector.post("/api/v1/telemetry", hostAt(time)).statusCode()).isEqualTo(202);
    }
  }

  private static List<String> recordTimes(TestCollector collector) throws SQLException {
    List<String> times = new ArrayList<>();
    try (Connection connection = collector.database.connect();
        ResultSet rows =
            connection.createStatement().executeQuery("SELECT time FROM telemetry ORDER BY time")) {
      while (rows.next()) {
        times.add(
            rows.getObject(1, java.time.OffsetDateTime.class)
                .withOffsetSameInstant(ZoneOffset.UTC)
                .toLocalDate()
                .toString());
      }
    }
    return times;
  }

  @Test
  void dropsWholeMonthsPastTheRetentionAndCountsThem() throws SQLException {
    // Monthly partitions exist from the month the collector first ran: this one.
    LocalDate month = LocalDate.now(ZoneOffset.UTC).withDayOfMonth(1);
    try (TestCollector collector = new TestCollector()) {
      store(
          collector,
          day(month),
          day(month.plusMonths(1)),
          day(month.plusMonths(2)),
          day(month.plusMonths(4)));
      SimpleMeterRegistry meters = new SimpleMeterRegistry();
      Instant later = month.plusMonths(4).atStartOfDay(ZoneOffset.UTC).plusDays(19).toInstant();
      StoreMaintenance retention =
          new StoreMaintenance(
              new RetentionSettings(2, Duration.ofDays(90), 3),
              collector.database.dataSource(),
              meters,
              Clock.fixed(later, ZoneOffset.UTC));

      retention.runOnce();

      // Two months back from that month: the first two months go whole, the rest stays.
      assertThat(recordTimes(collector))
          .containsExactly(
              month.plusMonths(2).plusDays(14).toString(),
              month.plusMonths(4).plusDays(14).toString());
      assertThat(meters.get("telemetry.retention.records.dropped").counter().count()).isEqualTo(2);
      assertThat(meters.get("telemetry.retention.partitions.dropped").counter().count())
          .as("the two months, and the (empty) partition below them, made anew")
          .isEqualTo(3);
      assertThat(meters.get("telemetry.partitions.created").counter().count())
          .as("months up to three ahead of that month")
          .isPositive();
    }
  }

  private static String day(LocalDate month) {
    return month.plusDays(14).atTime(10, 0).toInstant(ZoneOffset.UTC).toString();
  }

  @Test
  void purgesOnDemandFromTheCommandLine() throws SQLException {
    try (TestCollector collector = new TestCollector()) {
      store(collector, "2024-01-15T10:00:00Z", "2024-06-15T10:00:00Z", "2024-09-15T10:00:00Z");
      ByteArrayOutputStream printed = new ByteArrayOutputStream();
      PrintStream out = System.out;
      int exit;
      try {
        System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
        exit =
            Main.run(
                Map.of(
                    "TELEMETRY_DB_URL", collector.database.url(),
                    "TELEMETRY_DB_USER", collector.database.user(),
                    "TELEMETRY_DB_PASSWORD", collector.database.password()),
                "purge",
                "--older-than",
                "2024-07-01");
      } finally {
        System.setOut(out);
      }

      assertThat(exit).isZero();
      assertThat(recordTimes(collector)).containsExactly("2024-09-15");
      assertThat(printed.toString(StandardCharsets.UTF_8))
          .contains("removed 2 record(s) recorded before 2024-07-01T00:00:00Z");
    }
  }
}

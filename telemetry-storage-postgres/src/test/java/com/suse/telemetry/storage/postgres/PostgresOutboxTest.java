package com.suse.telemetry.storage.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import com.suse.telemetry.core.TelemetryRecord;
import com.suse.telemetry.core.spi.TelemetrySink;
import com.suse.telemetry.testkit.TestTelemetry;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What the PostgreSQL outbox does beyond the contract: rejections kept, deleted records skipped.
 */
class PostgresOutboxTest {

  private static MigratedDatabase database;
  private PostgresTelemetryStore store;

  @BeforeAll
  static void createDatabase() {
    database = new MigratedDatabase();
  }

  @AfterAll
  static void close() {
    database.close();
  }

  @BeforeEach
  void emptyStore() {
    database.truncate();
    store = PostgresTelemetryStore.create(database.dataSource, List.of("influxdb"));
  }

  @Test
  void keepsRejectedRecordsAsideWithTheirReason() {
    store.store(TestTelemetry.hosts(3, 1));

    store.deliver(
        "influxdb",
        10,
        records ->
            List.of(new TelemetrySink.Rejection(records.get(2), "field type conflict: cpu_count")));

    assertThat(store.rejections("influxdb"))
        .singleElement()
        .asString()
        .endsWith(": field type conflict: cpu_count");
    assertThat(store.lag("influxdb").pending()).isZero();
  }

  @Test
  void dropsEntriesWhoseRecordWasDeleted() {
    store.store(TestTelemetry.hosts(3, 2));
    database.jdbi.useHandle(handle -> handle.execute("DELETE FROM telemetry WHERE id = 2"));
    List<TelemetryRecord> delivered = new ArrayList<>();

    int handed =
        store.deliver(
            "influxdb",
            10,
            records -> {
              delivered.addAll(records);
              return List.of();
            });

    assertThat(handed).isEqualTo(2);
    assertThat(delivered).hasSize(2);
    assertThat(store.lag("influxdb").pending()).isZero();
  }
}

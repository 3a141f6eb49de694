package com.suse.telemetry.storage.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import com.suse.telemetry.core.TelemetryRecord;
import com.suse.telemetry.core.spi.Outbox;
import com.suse.telemetry.core.spi.TelemetrySink;
import com.suse.telemetry.testkit.TestOutbox;
import com.suse.telemetry.testkit.TestTelemetry;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What the PostgreSQL outbox does beyond the contract: sinks known to the database, leases and
 * attempts kept in the table, parked records listed, retried and dropped, deleted records skipped.
 */
class PostgresOutboxTest {

  private static MigratedDatabase database;
  private PostgresTelemetryStore store;
  private PostgresOutbox outbox;
  private PostgresSinks sinks;
  private PostgresParkedRecords parked;

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
    database.sinks("influxdb");
    store = PostgresTelemetryStore.create(database.dataSource);
    outbox = PostgresOutbox.create(database.dataSource);
    sinks = PostgresSinks.create(database.dataSource);
    parked = PostgresParkedRecords.create(database.dataSource);
  }

  private Map<String, Object> row(long id) {
    return database.jdbi.withHandle(
        handle ->
            handle
                .createQuery(
                    "SELECT lease_owner, lease_expires_at > now() AS leased, attempts, last_error"
                        + " FROM outbox WHERE sink = 'influxdb' AND telemetry_id = :id")
                .bind("id", id)
                .mapToMap()
                .one());
  }

  @Test
  void queuesEveryStoredRecordForEachEnabledSinkOfTheDeployment() {
    store.store(TestTelemetry.hosts(2, 1));
    assertThat(sinks.register("archive")).isEqualTo(PostgresSinks.Registration.NEW);
    assertThat(sinks.register("archive")).isEqualTo(PostgresSinks.Registration.KNOWN);
    store.store(TestTelemetry.hosts(3, 2));

    assertThat(sinks.disable("archive")).as("its waiting records are forgotten").isEqualTo(3);
    store.store(TestTelemetry.hosts(4, 3));
    assertThat(sinks.list())
        .extracting(
            PostgresSinks.Sink::name, PostgresSinks.Sink::enabled, PostgresSinks.Sink::pending)
        .containsExactly(tuple("archive", false, 0L), tuple("influxdb", true, 9L));

    assertThat(sinks.register("archive")).isEqualTo(PostgresSinks.Registration.ENABLED_AGAIN);
    store.store(TestTelemetry.hosts(1, 4));
    assertThat(outbox.lag("archive").pending()).isEqualTo(1);
    assertThatThrownBy(() -> sinks.requireEnabled("kafka"))
        .hasMessageContaining("no sink 'kafka' is registered (registered: archive, influxdb)");
  }

  @Test
  void keepsTheLeaseInTheTableUntilTheBatchIsSettled() {
    store.store(TestTelemetry.hosts(2, 5));

    Outbox.Claim claim = outbox.claim("influxdb", 10, TestOutbox.LEASE);
    long first = claim.entries().get(0).id();
    assertThat(row(first))
        .containsEntry("lease_owner", claim.lease())
        .containsEntry("leased", true);

    outbox.settle(
        claim,
        Outbox.Settlement.builder()
            .fail(first, "HTTP 500: internal error", Instant.parse("2025-01-01T00:00:00Z"))
            .build());

    assertThat(row(first))
        .containsEntry("lease_owner", null)
        .containsEntry("attempts", 1)
        .containsEntry("last_error", "HTTP 500: internal error");
    assertThat(row(claim.entries().get(1).id())).containsEntry("lease_owner", null);
  }

  @Test
  void listsRetriesAndDropsParkedRecords() {
    store.store(TestTelemetry.hosts(3, 6));
    TestOutbox.deliver(
        outbox,
        "influxdb",
        10,
        records ->
            records.stream()
                .map(record -> new TelemetrySink.Rejection(record, "field type conflict"))
                .toList());

    List<PostgresParkedRecords.ParkedRecord> listed = parked.list(Optional.of("influxdb"), 10);
    assertThat(listed)
        .hasSize(3)
        .allSatisfy(
            record -> {
              assertThat(record.reason()).isEqualTo("field type conflict");
              assertThat(record.attempts()).isEqualTo(1);
              assertThat(record.type()).isEqualTo(TestTelemetry.TRENTO_HOSTS);
            });
    assertThat(parked.list(Optional.of("archive"), 10)).isEmpty();
    assertThat(outbox.lag("influxdb").parked()).isEqualTo(3);

    long first = listed.get(0).id();
    assertThat(parked.retry(new PostgresParkedRecords.Selection("influxdb", List.of(first, 999L))))
        .isEqualTo(1);
    assertThat(outbox.claim("influxdb", 10, TestOutbox.LEASE).entries())
        .singleElement()
        .satisfies(entry -> assertThat(entry.attempts()).isZero());
    assertThat(parked.drop(PostgresParkedRecords.Selection.all("influxdb"))).isEqualTo(2);
    assertThat(outbox.lag("influxdb").parked()).isZero();
  }

  @Test
  void dropsEntriesWhoseRecordWasDeleted() {
    store.store(TestTelemetry.hosts(3, 7));
    database.jdbi.useHandle(handle -> handle.execute("DELETE FROM telemetry WHERE id = 2"));

    List<TelemetryRecord> delivered = TestOutbox.drain(outbox, "influxdb");

    assertThat(delivered).hasSize(2);
    assertThat(outbox.lag("influxdb").pending()).isZero();
  }
}

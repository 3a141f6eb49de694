package com.suse.telemetry.storage.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.suse.telemetry.core.Submission;
import com.suse.telemetry.core.TelemetryRecord;
import com.suse.telemetry.core.TelemetryTypeId;
import com.suse.telemetry.core.TelemetryTypeRegistry;
import com.suse.telemetry.core.spi.StoreResult;
import com.suse.telemetry.testkit.TestOutbox;
import com.suse.telemetry.testkit.TestPostgres;
import com.suse.telemetry.testkit.TestTelemetry;
import com.zaxxer.hikari.HikariDataSource;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A database created and filled by the first schema version upgrades in place. */
class PostgresUpgradeTest {

  private static final TelemetryTypeId PROFILES = new TelemetryTypeId("sles", "system_profile", 1);
  private static final String PROFILE =
      """
      {"system_id": "3f2b8c1e-9d4a-4f6b-a1e2-7c8d9e0f1a2b", "product": "SLES",
       "product_version": "15.6", "arch": "x86_64", "cpu_count": 32, "memory_mb": 262144,
       "hypervisor": null, "cloud_provider": null, "collected_on": "2024-05-17"}""";

  private HikariDataSource dataSource;

  @AfterEach
  void closePool() {
    if (dataSource != null) {
      dataSource.close();
    }
  }

  /** Stores {@code records} as the first version's store did. */
  private static void storeAsVersion1(Handle handle, List<TelemetryRecord> records) {
    for (TelemetryRecord record : records) {
      long id =
          handle
              .createQuery(
                  """
                  INSERT INTO telemetry (application, telemetry_type, schema_version, time,
                                         time_nanos, received_at, identity, payload)
                  VALUES (:application, :type, :version, CAST(:time AS timestamptz), :nanos,
                          CAST(:receivedAt AS timestamptz), CAST(:identity AS uuid),
                          CAST(:payload AS jsonb))
                  ON CONFLICT (application, telemetry_type, identity) DO NOTHING
                  RETURNING id""")
              .bind("application", record.type().application())
              .bind("type", record.type().telemetryType())
              .bind("version", record.type().schemaVersion())
              .bind("time", record.time().truncatedTo(ChronoUnit.MICROS).toString())
              .bind("nanos", record.time().getNano())
              .bind("receivedAt", record.receivedAt().truncatedTo(ChronoUnit.MICROS).toString())
              .bind("identity", record.identity())
              .bind("payload", record.json())
              .mapTo(Long.class)
              .findOne()
              .orElse(-1L);
      if (id > 0) {
        handle.execute("INSERT INTO outbox (sink, telemetry_id) VALUES ('influxdb', ?)", id);
      }
    }
  }

  @Test
  void upgradesADatabaseOfTheFirstVersionInPlace() {
    TestPostgres.Database database = TestPostgres.newDatabase();
    PostgresSettings settings =
        PostgresSettings.of(database.url(), database.user(), database.password());
    Flyway.configure()
        .dataSource(database.url(), database.user(), database.password())
        .locations("classpath:com/suse/telemetry/storage/postgres/migration")
        .target("1")
        .load()
        .migrate();
    Jdbi jdbi = Jdbi.create(database.dataSource());
    Submission hosts = TestTelemetry.hosts(20, 40);
    Instant firstSent = Instant.parse("2024-05-17T03:12:45.5Z");
    TelemetryRecord profile = profileSentAt(firstSent);
    TelemetryRecord future =
        TimedRecords.at(Instant.parse("9999-12-31T23:59:59.999999999Z"), new Random(1));
    List<TelemetryRecord> version1Profile =
        List.of(
            new TelemetryRecord(
                PROFILES, firstSent, firstSent, profile.identity(), profile.json()));
    jdbi.useTransaction(
        handle -> {
          storeAsVersion1(handle, hosts.records());
          storeAsVersion1(handle, hosts.records().subList(0, 5));
          storeAsVersion1(handle, version1Profile);
          storeAsVersion1(handle, List.of(future));
          handle.execute(
              "INSERT INTO envelope (id, received_at) VALUES (gen_random_uuid(), now())");
          handle.execute(
              "INSERT INTO outbox_rejected (sink, telemetry_id, reason)"
                  + " VALUES ('influxdb', 3, 'field type conflict')");
          handle.execute("DELETE FROM outbox WHERE telemetry_id IN (2, 3)");
        });
    List<Map<String, Object>> version1Rows = rows(jdbi);

    PostgresMigrations.migrate(settings);

    List<Map<String, Object>> version2Rows = rows(jdbi);
    assertThat(version2Rows).hasSize(22);
    for (int i = 0; i < version1Rows.size(); i++) {
      Map<String, Object> row = version1Rows.get(i);
      if (row.get("application").equals("sles")) {
        assertThat(version2Rows.get(i))
            .as("a stored profile takes its collection day as its time")
            .containsEntry("exact", "2024-05-17 00:00:00.000000")
            .containsEntry("time_nanos", 0)
            .containsEntry("id", row.get("id"))
            .containsEntry("identity", row.get("identity"))
            .containsEntry("payload", row.get("payload"));
      } else {
        assertThat(version2Rows.get(i)).isEqualTo(row);
      }
    }
    assertThat(TimedRecords.partitionsOf(jdbi))
        .containsOnly(TelemetryPartition.BEFORE, TelemetryPartition.AFTER)
        .last()
        .isEqualTo(TelemetryPartition.AFTER);

    dataSource = PostgresDataSources.pooled(settings);
    assertThat(PostgresSinks.create(dataSource).list())
        .as("a sink with entries was configured: it is registered")
        .extracting(PostgresSinks.Sink::name, PostgresSinks.Sink::enabled)
        .containsExactly(tuple("influxdb", true));
    PostgresTelemetryStore store = PostgresTelemetryStore.create(dataSource);
    assertThat(store.store(hosts)).isEqualTo(new StoreResult(0, 20));
    assertThat(store.store(Submission.of(List.of(profileSentAt(firstSent.plusSeconds(86_400))))))
        .as("the profile re-sent a day later")
        .isEqualTo(new StoreResult(0, 1));
    assertThat(store.store(Submission.of(List.of(future)))).isEqualTo(new StoreResult(0, 1));
    Submission more = TestTelemetry.hosts(3, 41);
    assertThat(store.store(more)).isEqualTo(new StoreResult(3, 0));
    assertThat(rows(jdbi).subList(22, 25))
        .extracting(row -> (Long) row.get("id"))
        .as("ids go on after the first version's")
        .allMatch(id -> id > 22);

    assertThat(PostgresParkedRecords.create(dataSource).list(Optional.of("influxdb"), 10))
        .extracting(
            PostgresParkedRecords.ParkedRecord::id,
            PostgresParkedRecords.ParkedRecord::reason,
            PostgresParkedRecords.ParkedRecord::attempts)
        .containsExactly(tuple(3L, "field type conflict", 1));
    List<TelemetryRecord> delivered =
        TestOutbox.drain(PostgresOutbox.create(dataSource), "influxdb");
    assertThat(delivered).hasSize(20 + 3);
    assertThat(delivered)
        .filteredOn(record -> record.type().equals(PROFILES))
        .singleElement()
        .extracting(TelemetryRecord::time)
        .isEqualTo(Instant.parse("2024-05-17T00:00:00Z"));

    List<String> created = PostgresPartitions.create(dataSource).ensure(Instant.now());
    assertThat(created).isNotEmpty();
    assertThat(store.store(Submission.of(List.of(future)))).isEqualTo(new StoreResult(0, 1));
    assertThat(TypedViews.createOrReplace(dataSource, TelemetryTypeRegistry.bundled()))
        .contains("sles_system_profile_v1");
    long hostsInView =
        jdbi.withHandle(
            handle ->
                handle
                    .createQuery("SELECT count(*) FROM trento_host_telemetry_v1")
                    .mapTo(Long.class)
                    .one());
    assertThat(hostsInView).as("hosts, with the one dated 9999").isEqualTo(24);
  }

  private static TelemetryRecord profileSentAt(Instant envelopeTime) {
    String envelope =
        """
        {"application": "sles", "telemetry_type": "system_profile", "time": "%s",
         "payload": %s}"""
            .formatted(envelopeTime, PROFILE);
    return TestTelemetry.validator()
        .validate(envelope.getBytes(StandardCharsets.UTF_8))
        .submission()
        .records()
        .get(0);
  }

  private static List<Map<String, Object>> rows(Jdbi jdbi) {
    return jdbi.withHandle(
        handle ->
            handle
                .createQuery(
                    """
                    SELECT id, application, telemetry_type, schema_version,
                           to_char(time AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US') AS exact,
                           time_nanos, received_at::text AS received_at,
                           identity::text AS identity, payload::text AS payload
                    FROM telemetry ORDER BY id""")
                .mapToMap()
                .list());
  }
}

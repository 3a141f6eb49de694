package com.suse.telemetry.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.suse.telemetry.core.TelemetryRecord;
import com.suse.telemetry.testkit.TestPostgres;
import com.suse.telemetry.testkit.TestTelemetry;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/** Test envelopes of Trento hosts, and what PostgreSQL holds of them. */
final class StoredRecords {

  /** Hosts per test envelope. */
  static final int RECORDS = 3;

  private StoredRecords() {}

  /** The test envelope of {@code seed}: {@link #RECORDS} hosts, without an id. */
  static byte[] envelope(long seed) {
    return TestTelemetry.hostsEnvelopeJson(RECORDS, seed).getBytes(StandardCharsets.UTF_8);
  }

  /** Every record of the envelopes of {@code seeds} is stored exactly once, and nothing else. */
  static void assertEachStoredOnce(TestPostgres.Database database, Collection<Long> seeds) {
    Map<String, Integer> stored = identities(database);
    for (long seed : seeds) {
      for (TelemetryRecord record : TestTelemetry.hosts(RECORDS, seed).records()) {
        assertThat(stored.get(record.identity())).as("record of envelope %d", seed).isEqualTo(1);
      }
    }
    assertThat(stored).hasSize(seeds.size() * RECORDS);
  }

  /** How many times each record identity is stored. */
  private static Map<String, Integer> identities(TestPostgres.Database database) {
    Map<String, Integer> stored = new HashMap<>();
    try (Connection connection = database.connect();
        ResultSet rows =
            connection
                .createStatement()
                .executeQuery(
                    "SELECT replace(identity::text, '-', ''), count(*) FROM telemetry GROUP BY 1")) {
      while (rows.next()) {
        stored.put(rows.getString(1), rows.getInt(2));
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
    return stored;
  }
}

package com.suse.telemetry.testkit;

import com.suse.telemetry.core.TelemetryRecord;
import java.io.IOException;
import java.io.StringReader;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.temporal.ChronoUnit;
import org.postgresql.PGConnection;

/**
 * Records written straight into the {@code telemetry} table with pgjdbc's COPY, columns as the
 * PostgreSQL store fills them: the storage ceiling benchmarks compare the store with, and the
 * fastest way to fill a table with millions of rows.
 */
public final class TelemetryCopy {

  private static final String COPY =
      "COPY telemetry (application, telemetry_type, schema_version, time, time_nanos,"
          + " received_at, identity, payload) FROM STDIN (FORMAT csv)";

  private TelemetryCopy() {}

  /** {@code records} as COPY's CSV. */
  public static String csv(Iterable<TelemetryRecord> records) {
    StringBuilder csv = new StringBuilder();
    for (TelemetryRecord record : records) {
      csv.append(record.type().application())
          .append(',')
          .append(record.type().telemetryType())
          .append(',')
          .append(record.type().schemaVersion())
          .append(',')
          .append(record.time().truncatedTo(ChronoUnit.MICROS))
          .append(',')
          .append(record.time().getNano())
          .append(',')
          .append(record.receivedAt().truncatedTo(ChronoUnit.MICROS))
          .append(',')
          .append(record.identity())
          .append(",\"")
          .append(record.json().replace("\"", "\"\""))
          .append("\"\n");
    }
    return csv.toString();
  }

  /** COPYs {@code csv}, made by {@link #csv}, into the telemetry table on {@code connection}. */
  public static void copy(Connection connection, String csv) throws SQLException, IOException {
    connection.unwrap(PGConnection.class).getCopyAPI().copyIn(COPY, new StringReader(csv));
  }
}

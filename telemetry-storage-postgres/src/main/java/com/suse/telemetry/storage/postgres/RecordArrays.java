package com.suse.telemetry.storage.postgres;

import com.suse.telemetry.core.TelemetryRecord;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * Records as the eight array parameters, one element per record, that an {@code INSERT ... SELECT
 * FROM unnest(...)} into the {@code telemetry} table takes, in this order: application, telemetry
 * type, schema version ({@code integer[]}), time (RFC 3339 text, to the microsecond, for a cast to
 * {@code timestamptz[]}), the time's nanoseconds ({@code integer[]}), received at (as time),
 * identity (32 hex digits, for a cast to {@code uuid[]}) and payload (JSON text); the others {@code
 * text[]}. Sent in PostgreSQL's binary format (see {@link BinaryArray}).
 *
 * <p>Public for the benchmark, whose plain JDBC ceiling must send the rows as the store does.
 */
public final class RecordArrays {

  private RecordArrays() {}

  /** Sets parameters {@code first} to {@code first + 7} of {@code statement} to {@code records}. */
  public static void bind(PreparedStatement statement, int first, List<TelemetryRecord> records)
      throws SQLException {
    statement.setObject(first, BinaryArray.text(records, r -> r.type().application()));
    statement.setObject(first + 1, BinaryArray.text(records, r -> r.type().telemetryType()));
    statement.setObject(first + 2, BinaryArray.int4(records, r -> r.type().schemaVersion()));
    // Truncated, not rounded, so that time's second plus time_nanos is the exact instant.
    statement.setObject(first + 3, BinaryArray.text(records, r -> micros(r.time())));
    statement.setObject(first + 4, BinaryArray.int4(records, r -> r.time().getNano()));
    statement.setObject(first + 5, BinaryArray.text(records, r -> micros(r.receivedAt())));
    statement.setObject(first + 6, BinaryArray.text(records, TelemetryRecord::identity));
    statement.setObject(first + 7, BinaryArray.text(records, TelemetryRecord::json));
  }

  private static String micros(Instant time) {
    return time.truncatedTo(ChronoUnit.MICROS).toString();
  }
}

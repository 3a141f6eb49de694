package com.suse.telemetry.core.spi;

import com.suse.telemetry.core.TelemetryRecord;
import java.util.List;

/**
 * A secondary sink, such as InfluxDB: receives every stored record at least once, through the
 * primary store's outbox. Implementations are thread-safe.
 */
public interface TelemetrySink {

  /** A stable name for this sink; the outbox keeps one queue per name. */
  String name();

  /**
   * Writes {@code records}. Returns normally once the sink holds every record it accepts; records
   * it refuses for good (e.g. a field type conflict) are returned with the reason, and the rest are
   * written regardless.
   *
   * @throws SinkUnavailableException if the sink could not be written to now (connection refused,
   *     timeout, overload, server error); the whole batch is tried again later
   */
  List<Rejection> write(List<TelemetryRecord> records);

  /**
   * A record the sink refused for good.
   *
   * @param record the refused record
   * @param reason the sink's explanation
   */
  record Rejection(TelemetryRecord record, String reason) {}
}

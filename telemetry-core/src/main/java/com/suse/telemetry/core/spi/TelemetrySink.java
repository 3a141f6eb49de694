package com.suse.telemetry.core.spi;

import com.suse.telemetry.core.TelemetryRecord;
import java.util.List;

/**
 * A secondary sink: receives every stored record at least once, through the primary store's outbox.
 * A sink module offers its sinks through a {@link TelemetrySinkProvider}. Implementations are
 * thread-safe.
 *
 * <p>A write ends in one of four ways, and the forwarder acts on each: it returns (the sink holds
 * every record but those it returns as rejections, which are parked at once); it throws {@link
 * SinkUnavailableException} (the sink is down, slow or overloaded: the forwarder backs off and
 * parks nothing); it throws {@link SinkRefusedException} (the sink refused the data: the forwarder
 * splits the batch until the refused records are alone, and parks them); or it throws any other
 * exception (the write failed for a reason the sink cannot tell: the forwarder splits the batch,
 * and parks a record that keeps failing on its own while others get through).
 */
public interface TelemetrySink extends AutoCloseable {

  /**
   * The sink's name, as its provider's: the outbox keeps one queue per name, and a type's {@code
   * x-telemetry} metadata for the sink is under it.
   */
  String name();

  /**
   * Writes {@code records}. Returns normally once the sink holds every record but those returned:
   * records it cannot hold (a value out of its range, an unknown type) are returned with the
   * reason, and the rest are written regardless.
   *
   * @throws SinkUnavailableException if the sink could not be written to now (connection refused,
   *     timeout, overload)
   * @throws SinkRefusedException if the sink refused the write because of its data
   */
  List<Rejection> write(List<TelemetryRecord> records);

  /** Releases what the sink holds (connections, threads). Does nothing by default. */
  @Override
  default void close() {}

  /**
   * A record the sink refused for good.
   *
   * @param record the refused record
   * @param reason the sink's explanation
   */
  record Rejection(TelemetryRecord record, String reason) {}
}

package com.suse.telemetry.core.spi;

import com.suse.telemetry.core.TelemetryRecord;
import java.time.Duration;
import java.util.List;

/**
 * The durable queue of stored records not yet delivered to each secondary sink, written by the
 * primary store in the same transaction as the records. Safe to drain from several threads and
 * several collector replicas at once: each entry is handed to one of them at a time.
 */
public interface Outbox {

  /**
   * Hands the oldest undelivered records for {@code sink}, at most {@code limit}, to {@code
   * delivery}. When it returns, they are removed from the outbox; the rejections it returns are
   * kept aside with their reasons, for people to inspect. When it throws, they stay and are handed
   * out again later.
   *
   * @return how many records were handed to {@code delivery}; 0 when none were waiting
   * @throws StoreUnavailableException if the outbox cannot be reached
   */
  int deliver(String sink, int limit, Delivery delivery);

  /**
   * How far {@code sink} lags behind the primary store.
   *
   * @throws StoreUnavailableException if the outbox cannot be reached
   */
  Lag lag(String sink);

  /** Delivers a batch of records to a sink. */
  @FunctionalInterface
  interface Delivery {

    /**
     * Delivers {@code records}; returns those refused for good.
     *
     * @throws RuntimeException if the batch could not be delivered; it is handed out again later
     */
    List<TelemetrySink.Rejection> deliver(List<TelemetryRecord> records);
  }

  /**
   * How far a sink lags behind.
   *
   * @param pending records waiting for the sink
   * @param oldestAge how long the oldest of them has waited; zero when none waits
   */
  record Lag(long pending, Duration oldestAge) {}
}

package com.suse.telemetry.app;

import com.suse.telemetry.core.TelemetryException;
import com.suse.telemetry.storage.postgres.PostgresPartitions;
import com.suse.telemetry.storage.postgres.PostgresRetention;
import com.suse.telemetry.storage.postgres.RetentionResult;
import com.suse.telemetry.storage.postgres.RetentionSettings;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the store in shape while the collector runs: monthly partitions made ahead of need, and,
 * where retention is on, months past it dropped whole and old envelope ids forgotten. Runs at
 * start-up and then every hour, on a thread of its own; replicas take turns (the store's own
 * advisory lock), so the later ones find nothing to do. A failed run is logged and tried again at
 * the next.
 */
final class StoreMaintenance implements AutoCloseable {

  static final Duration INTERVAL = Duration.ofHours(1);

  private static final Logger LOG = LoggerFactory.getLogger(StoreMaintenance.class);

  private final RetentionSettings settings;
  private final PostgresPartitions partitions;
  private final PostgresRetention retention;
  private final Clock clock;
  private final Counter partitionsCreated;
  private final Counter partitionsDropped;
  private final Counter rowsDropped;
  private final Counter envelopeIdsForgotten;
  private final ScheduledExecutorService thread =
      Executors.newSingleThreadScheduledExecutor(
          task -> {
            Thread maintenance = new Thread(task, "store-maintenance");
            maintenance.setDaemon(true);
            return maintenance;
          });

  StoreMaintenance(
      RetentionSettings settings, DataSource dataSource, MeterRegistry meters, Clock clock) {
    this.settings = settings;
    this.partitions = PostgresPartitions.create(dataSource).withMonthsAhead(settings.monthsAhead());
    this.retention = PostgresRetention.create(dataSource);
    this.clock = clock;
    this.partitionsCreated =
        counter(meters, "telemetry.partitions.created", "Monthly partitions made");
    this.partitionsDropped =
        counter(
            meters, "telemetry.retention.partitions.dropped", "Partitions dropped by retention");
    this.rowsDropped =
        counter(meters, "telemetry.retention.records.dropped", "Records removed by retention");
    this.envelopeIdsForgotten =
        counter(meters, "telemetry.retention.envelope.ids.forgotten", "Envelope ids forgotten");
  }

  private static Counter counter(MeterRegistry meters, String name, String description) {
    return Counter.builder(name).description(description).register(meters);
  }

  /** Runs at once, then every hour, on a thread of its own. */
  void start() {
    thread.scheduleWithFixedDelay(this::runQuietly, 0, INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void runQuietly() {
    try {
      runOnce();
    } catch (TelemetryException e) {
      LOG.warn("Store maintenance failed, trying again in {}: {}", INTERVAL, e.getMessage());
    }
  }

  /**
   * Makes the partitions ahead, and drops what retention no longer keeps.
   *
   * @throws TelemetryException if PostgreSQL fails or its table stays busy
   */
  void runOnce() {
    Instant now = clock.instant();
    partitionsCreated.increment(partitions.ensure(now).size());
    settings
        .recordCutoff(now)
        .ifPresent(
            cutoff -> {
              RetentionResult dropped = retention.dropOlderThan(cutoff);
              partitionsDropped.increment(dropped.droppedPartitions().size());
              rowsDropped.increment(dropped.rows());
            });
    envelopeIdsForgotten.increment(
        retention.forgetEnvelopesReceivedBefore(now.minus(settings.envelopeIds())));
  }

  @Override
  public void close() {
    thread.shutdownNow();
  }
}

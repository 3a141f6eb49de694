package com.suse.telemetry.app;

import com.suse.telemetry.core.OutboxForwarder;
import com.suse.telemetry.core.quarantine.QuarantineWriter;
import com.suse.telemetry.core.spi.Outbox;
import com.suse.telemetry.storage.postgres.PostgresAvailability;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmHeapPressureMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.function.ToDoubleFunction;

/**
 * The collector's metrics, in Prometheus's registry: the JVM's, the process's and the build's here;
 * the store's, the pool's, each sink's and the HTTP API's registered by the parts that have them.
 */
final class CollectorMetrics implements AutoCloseable {

  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final JvmGcMetrics gc = new JvmGcMetrics();
  private final JvmHeapPressureMetrics heapPressure = new JvmHeapPressureMetrics();

  CollectorMetrics(BuildInfo build) {
    new ClassLoaderMetrics().bindTo(registry);
    new JvmMemoryMetrics().bindTo(registry);
    gc.bindTo(registry);
    heapPressure.bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    new FileDescriptorMetrics().bindTo(registry);
    Gauge.builder("telemetry.build.info", () -> 1)
        .description("The collector's version and commit, as labels")
        .tags("version", build.version(), "commit", build.commit())
        .register(registry);
  }

  MeterRegistry registry() {
    return registry;
  }

  /** The metrics in Prometheus's text format. */
  String scrape() {
    return registry.scrape();
  }

  /** Reports whether PostgreSQL answers (1) or not (0). */
  void watch(PostgresAvailability availability) {
    Gauge.builder("telemetry.store.available", availability, up -> up.isUp() ? 1 : 0)
        .description("Whether PostgreSQL answers (1) or not (0)")
        .register(registry);
  }

  /** Reports what the quarantine of rejected submissions holds, and what it kept or let go. */
  void watch(QuarantineWriter quarantine) {
    Gauge.builder("telemetry.quarantine.entries", quarantine, QuarantineWriter::entries)
        .description("Rejected submissions held in the quarantine")
        .register(registry);
    Gauge.builder("telemetry.quarantine.size", quarantine, QuarantineWriter::bytes)
        .description("Bytes the quarantine holds (bodies and violations), against its cap")
        .baseUnit("bytes")
        .register(registry);
    quarantineCounter("kept", "kept as new entries", quarantine, QuarantineWriter::kept);
    quarantineCounter(
        "repeat", "whose body was kept already", quarantine, QuarantineWriter::repeats);
    quarantineCounter(
        "missed",
        "not kept: buffer full or PostgreSQL unavailable",
        quarantine,
        QuarantineWriter::missed);
    quarantineCounter(
        "dropped_for_size",
        "dropped to stay within the size cap",
        quarantine,
        QuarantineWriter::droppedForSize);
    quarantineCounter(
        "dropped_for_age",
        "dropped past the retention period",
        quarantine,
        QuarantineWriter::droppedForAge);
  }

  private void quarantineCounter(
      String outcome,
      String description,
      QuarantineWriter quarantine,
      ToDoubleFunction<QuarantineWriter> count) {
    FunctionCounter.builder("telemetry.quarantine.submissions", quarantine, count)
        .description("Rejected submissions offered to the quarantine, by outcome: " + description)
        .tag("outcome", outcome)
        .register(registry);
  }

  /** Reports a sink's backlog, deliveries, failures and parked records. */
  void watch(String sink, OutboxForwarder forwarder) {
    gauge(
        "telemetry.sink.pending",
        "Records stored but not yet delivered",
        sink,
        forwarder,
        f -> lag(f).pending());
    gauge(
        "telemetry.sink.parked",
        "Records set aside after failing on their own, waiting for an operator",
        sink,
        forwarder,
        f -> lag(f).parked());
    Gauge.builder("telemetry.sink.oldest.age", forwarder, f -> lag(f).oldestAge().toMillis() / 1e3)
        .description("How long the oldest record not yet delivered has waited")
        .baseUnit("seconds")
        .tag("sink", sink)
        .register(registry);
    FunctionCounter.builder("telemetry.sink.delivered", forwarder, OutboxForwarder::delivered)
        .description("Records handed to the sink")
        .tag("sink", sink)
        .register(registry);
    FunctionCounter.builder("telemetry.sink.failures", forwarder, OutboxForwarder::failures)
        .description("Attempts to deliver that failed")
        .tag("sink", sink)
        .register(registry);
  }

  private void gauge(
      String name,
      String description,
      String sink,
      OutboxForwarder forwarder,
      ToDoubleFunction<OutboxForwarder> value) {
    Gauge.builder(name, forwarder, value)
        .description(description)
        .tag("sink", sink)
        .register(registry);
  }

  private static Outbox.Lag lag(OutboxForwarder forwarder) {
    Outbox.Lag lag = forwarder.lastLag();
    return lag == null ? new Outbox.Lag(0, java.time.Duration.ZERO, 0) : lag;
  }

  @Override
  public void close() {
    gc.close();
    heapPressure.close();
    registry.close();
  }
}

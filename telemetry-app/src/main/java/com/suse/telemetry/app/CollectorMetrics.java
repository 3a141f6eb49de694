package com.suse.telemetry.app;

import com.suse.telemetry.core.OutboxForwarder;
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

  /** Reports a sink's backlog, deliveries and failures. */
  void watch(String sink, OutboxForwarder forwarder) {
    gauge(
        "telemetry.sink.pending",
        "Records stored but not yet delivered",
        sink,
        forwarder,
        f -> lag(f).pending());
    Gauge.builder("telemetry.sink.oldest.age", forwarder, f -> lag(f).oldestAge().toMillis() / 1e3)
        .description("How long the oldest record not yet delivered has waited")
        .baseUnit("seconds")
        .tag("sink", sink)
        .register(registry);
    FunctionCounter.builder("telemetry.sink.delivered", forwarder, OutboxForwarder::forwarded)
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
    return lag == null ? new Outbox.Lag(0, java.time.Duration.ZERO) : lag;
  }

  @Override
  public void close() {
    gc.close();
    heapPressure.close();
    registry.close();
  }
}

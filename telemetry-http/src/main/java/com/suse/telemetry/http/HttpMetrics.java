package com.suse.telemetry.http;

import com.suse.telemetry.core.IngestionResult;
import com.suse.telemetry.core.RejectionReason;
import com.suse.telemetry.core.TelemetryTypeId;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * What the HTTP API counts, for operators: submissions by route and status, their duration and body
 * sizes, records by telemetry type and outcome, rejections by reason, submissions in flight. Every
 * label has a bounded set of values: routes and statuses are the collector's own, telemetry types
 * come only from the registry (anything else is {@code unknown}). Thread-safe.
 */
final class HttpMetrics {

  /** The route of the envelope submissions. */
  static final String ENVELOPE = "envelope";

  /** The route of Trento's legacy bare arrays. */
  static final String LEGACY_HOSTS = "legacy_hosts";

  /** The status of a submission whose client went away before it was answered. */
  static final String ABORTED = "aborted";

  private final MeterRegistry registry;
  private final Map<String, Counter> submissions = new ConcurrentHashMap<>();
  private final Map<String, Timer> durations = new ConcurrentHashMap<>();
  private final Map<String, Counter> records = new ConcurrentHashMap<>();
  private final DistributionSummary wireBytes;

  HttpMetrics(MeterRegistry registry) {
    this.registry = registry;
    this.wireBytes =
        DistributionSummary.builder("telemetry.submission.body")
            .description("Size of submission bodies as sent (compressed or not)")
            .baseUnit("bytes")
            .serviceLevelObjectives(1024, 16 * 1024, 128 * 1024, 1024 * 1024)
            .register(registry);
  }

  /**
   * Reports {@code inFlight} (submissions holding a place), the {@code limit} of places and {@code
   * bodyMemory} as gauges.
   */
  void watch(Supplier<Number> inFlight, Supplier<Number> limit, Supplier<Number> bodyMemory) {
    Gauge.builder("telemetry.submissions.in.flight", inFlight)
        .description("Submissions being decoded, validated or committed now")
        .register(registry);
    Gauge.builder("telemetry.submissions.in.flight.limit", limit)
        .description("Submissions that may be in flight now (adaptive admission's limit)")
        .register(registry);
    Gauge.builder("telemetry.submission.body.memory", bodyMemory)
        .description("Memory held by request bodies now")
        .baseUnit("bytes")
        .register(registry);
  }

  /** A body of {@code bytes} arrived whole. */
  void received(long bytes) {
    wireBytes.record(bytes);
  }

  /** A submission to {@code route} was answered {@code status} after {@code nanos}. */
  void answered(String route, String status, long nanos) {
    String key = route + ' ' + status;
    submissions
        .computeIfAbsent(
            key,
            unused ->
                Counter.builder("telemetry.submissions")
                    .description("Submissions answered, by route and status")
                    .tags("route", route, "status", status)
                    .register(registry))
        .increment();
    durations
        .computeIfAbsent(
            route,
            unused ->
                Timer.builder("telemetry.submission.duration")
                    .description("Time from a submission's arrival to its answer")
                    .tags("route", route)
                    .publishPercentileHistogram()
                    .register(registry))
        .record(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
  }

  /** Counts what ingesting a valid or invalid submission did, by telemetry type. */
  void ingested(IngestionResult result) {
    TelemetryTypeId type = result.type().orElse(null);
    if (result.isAccepted()) {
      count(type, "accepted", result.accepted());
      count(type, "duplicate", result.duplicates());
      return;
    }
    RejectionReason reason = result.rejectionReason().orElseThrow();
    String kind = reason.name().toLowerCase(Locale.ROOT);
    registry
        .counter("telemetry.rejected.submissions", typeTags(type).and("reason", kind))
        .increment();
    registry.counter("telemetry.violations", "reason", kind).increment(result.violations().size());
  }

  private void count(TelemetryTypeId type, String outcome, int amount) {
    if (amount == 0) {
      return;
    }
    records
        .computeIfAbsent(
            type + " " + outcome,
            unused ->
                Counter.builder("telemetry.records")
                    .description("Records of valid submissions, accepted or duplicate")
                    .tags(typeTags(type).and("outcome", outcome))
                    .register(registry))
        .increment(amount);
  }

  private static Tags typeTags(TelemetryTypeId type) {
    return type == null
        ? Tags.of("application", "unknown", "type", "unknown", "version", "unknown")
        : Tags.of(
            "application",
            type.application(),
            "type",
            type.telemetryType(),
            "version",
            Integer.toString(type.schemaVersion()));
  }
}

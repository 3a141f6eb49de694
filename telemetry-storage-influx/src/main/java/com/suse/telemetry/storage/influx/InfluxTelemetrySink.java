package com.suse.telemetry.storage.influx;

import static java.util.Objects.requireNonNull;

import com.influxdb.client.InfluxDBClient;
import com.influxdb.client.InfluxDBClientFactory;
import com.influxdb.client.InfluxDBClientOptions;
import com.influxdb.client.WriteApiBlocking;
import com.influxdb.client.domain.WritePrecision;
import com.influxdb.exceptions.InfluxException;
import com.suse.telemetry.core.TelemetryRecord;
import com.suse.telemetry.core.TelemetryType;
import com.suse.telemetry.core.TelemetryTypeRegistry;
import com.suse.telemetry.core.spi.SinkUnavailableException;
import com.suse.telemetry.core.spi.TelemetrySink;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import okhttp3.OkHttpClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes records to InfluxDB as points, through influxdb-client-java's blocking write API, in
 * gzip-compressed batches. A failed write is classified: the server down, slow, overloaded or
 * failing (no answer, 429, 5xx, and also 401/403/404, which an operator fixes while the outbox
 * waits) is retried later as a whole; a 400, 413 or 422 is about the data, so the batch is split in
 * halves until the refused points are isolated, and only those are rejected. Thread-safe.
 */
public final class InfluxTelemetrySink implements TelemetrySink, AutoCloseable {

  /** The sink's name, and its outbox queue's. */
  public static final String NAME = "influxdb";

  private static final Logger LOG = LoggerFactory.getLogger(InfluxTelemetrySink.class);

  private final TelemetryTypeRegistry registry;
  private final InfluxSettings settings;
  private final InfluxDBClient client;
  private final WriteApiBlocking writes;
  private final AtomicLong written = new AtomicLong();
  private final AtomicLong rejected = new AtomicLong();
  private final Map<String, AtomicLong> skipped = new ConcurrentHashMap<>();

  private InfluxTelemetrySink(TelemetryTypeRegistry registry, InfluxSettings settings) {
    this.registry = registry;
    this.settings = settings;
    long timeout = settings.timeout().toMillis();
    InfluxDBClientOptions.Builder options =
        InfluxDBClientOptions.builder()
            .url(settings.url())
            .org(settings.org())
            .bucket(settings.bucket())
            .okHttpClient(
                new OkHttpClient.Builder()
                    .connectTimeout(Math.min(timeout, 5_000), TimeUnit.MILLISECONDS)
                    .readTimeout(timeout, TimeUnit.MILLISECONDS)
                    .writeTimeout(timeout, TimeUnit.MILLISECONDS)
                    .retryOnConnectionFailure(false));
    if (!settings.token().isEmpty()) {
      options.authenticateToken(settings.token().toCharArray());
    }
    this.client = InfluxDBClientFactory.create(options.build());
    this.client.enableGzip();
    this.writes = client.getWriteApiBlocking();
  }

  /** A sink writing the types of {@code registry} to the InfluxDB of {@code settings}. */
  public static InfluxTelemetrySink create(
      TelemetryTypeRegistry registry, InfluxSettings settings) {
    return new InfluxTelemetrySink(
        requireNonNull(registry, "registry"), requireNonNull(settings, "settings"));
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public List<Rejection> write(List<TelemetryRecord> records) {
    List<Rejection> rejections = new ArrayList<>();
    List<Line> lines = new ArrayList<>(records.size());
    for (TelemetryRecord record : records) {
      Optional<TelemetryType> type = registry.find(record.type());
      if (type.isEmpty()) {
        rejections.add(new Rejection(record, "unknown telemetry type " + record.type()));
        continue;
      }
      PointMapper.Point point = PointMapper.map(type.get(), record);
      if (point.line() == null) {
        skipped.computeIfAbsent(point.skipReason(), reason -> new AtomicLong()).incrementAndGet();
      } else {
        lines.add(new Line(record, point.line()));
      }
    }
    for (int from = 0; from < lines.size(); from += settings.batchSize()) {
      writeIsolatingRefusals(
          lines.subList(from, Math.min(lines.size(), from + settings.batchSize())), rejections);
    }
    rejected.addAndGet(rejections.size());
    return rejections;
  }

  private record Line(TelemetryRecord record, String text) {}

  private void writeIsolatingRefusals(List<Line> lines, List<Rejection> rejections) {
    try {
      writes.writeRecords(WritePrecision.NS, lines.stream().map(Line::text).toList());
      written.addAndGet(lines.size());
    } catch (InfluxException e) {
      if (!isAboutTheData(e)) {
        throw new SinkUnavailableException(
            "InfluxDB at " + settings.url() + " cannot take" + " points now: " + describe(e), e);
      }
      if (lines.size() == 1) {
        LOG.warn("InfluxDB refused a point for good: {} ({})", describe(e), lines.get(0).text());
        rejections.add(new Rejection(lines.get(0).record(), describe(e)));
        return;
      }
      int half = lines.size() / 2;
      writeIsolatingRefusals(lines.subList(0, half), rejections);
      writeIsolatingRefusals(lines.subList(half, lines.size()), rejections);
    }
  }

  private static boolean isAboutTheData(InfluxException e) {
    return e.status() == 400 || e.status() == 413 || e.status() == 422;
  }

  private static String describe(InfluxException e) {
    String status = e.status() == 0 ? "no answer" : "HTTP " + e.status();
    return status + ": " + e.getMessage();
  }

  /** Points written since the sink was created. */
  public long written() {
    return written.get();
  }

  /** Records refused for good since the sink was created. */
  public long rejected() {
    return rejected.get();
  }

  /** Records that had no point to write (e.g. no field with a value), counted by reason. */
  public Map<String, Long> skipped() {
    Map<String, Long> counts = new java.util.TreeMap<>();
    skipped.forEach((reason, count) -> counts.put(reason, count.get()));
    return counts;
  }

  @Override
  public void close() {
    client.close();
  }
}

package com.suse.telemetry.storage.influx;

import static java.util.Objects.requireNonNull;

import com.influxdb.client.InfluxDBClient;
import com.influxdb.client.InfluxDBClientFactory;
import com.influxdb.client.InfluxDBClientOptions;
import com.influxdb.client.WriteApiBlocking;
import com.influxdb.client.domain.WritePrecision;
import com.influxdb.exceptions.InfluxException;
import com.suse.telemetry.core.InvalidTelemetryTypeException;
import com.suse.telemetry.core.TelemetryException;
import com.suse.telemetry.core.TelemetryRecord;
import com.suse.telemetry.core.TelemetryType;
import com.suse.telemetry.core.TelemetryTypeId;
import com.suse.telemetry.core.TelemetryTypeRegistry;
import com.suse.telemetry.core.spi.SinkRefusedException;
import com.suse.telemetry.core.spi.SinkUnavailableException;
import com.suse.telemetry.core.spi.TelemetrySink;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import okhttp3.OkHttpClient;

/**
 * Writes records to InfluxDB as points, through influxdb-client-java's blocking write API, in
 * gzip-compressed writes of at most the configured batch size. A record InfluxDB cannot hold (see
 * {@link PointMapper}) or of an unknown type is returned as a rejection, not written. A failed
 * write is classified for the forwarder: the server down, slow or overloaded (no answer, 408, 429,
 * 502, 503, 504, 507; and 401, 403, 404, which an operator fixes while the outbox waits) is {@link
 * SinkUnavailableException}; a 400, 413 or 422 is about the data, {@link SinkRefusedException}; any
 * other answer (500, ...) is a failure of unknown cause, which the forwarder isolates. Thread-safe.
 */
public final class InfluxTelemetrySink implements TelemetrySink {

  /** The sink's name: its outbox queue, and its section of a type's {@code x-telemetry}. */
  public static final String NAME = "influxdb";

  private static final Set<Integer> UNAVAILABLE =
      Set.of(0, 401, 403, 404, 408, 429, 502, 503, 504, 507);
  private static final Set<Integer> REFUSED = Set.of(400, 413, 422);

  private final InfluxSettings settings;
  private final Map<TelemetryTypeId, Mapped> types;
  private final InfluxDBClient client;
  private final WriteApiBlocking writes;
  private final AtomicLong written = new AtomicLong();
  private final AtomicLong rejected = new AtomicLong();

  /** A type's mapping, with the property types its fields are written as. */
  private record Mapped(InfluxMapping mapping, TelemetryType type) {}

  private InfluxTelemetrySink(Map<TelemetryTypeId, Mapped> types, InfluxSettings settings) {
    this.types = types;
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

  /**
   * A sink writing the types of {@code registry} to the InfluxDB of {@code settings}, each as its
   * {@code x-telemetry.influxdb} section says (as read when the registry was built with this sink's
   * metadata, or read now).
   *
   * @throws InvalidTelemetryTypeException if a type's section is wrong
   */
  public static InfluxTelemetrySink create(
      TelemetryTypeRegistry registry, InfluxSettings settings) {
    requireNonNull(registry, "registry");
    requireNonNull(settings, "settings");
    InfluxMappingReader reader = new InfluxMappingReader();
    Map<TelemetryTypeId, Mapped> types = new HashMap<>();
    for (TelemetryType type : registry.types()) {
      InfluxMapping mapping;
      try {
        mapping =
            type.sinkMetadata(NAME, InfluxMapping.class)
                .orElseGet(() -> reader.read(type, type.sinkSection(NAME).orElse(Map.of())));
      } catch (IllegalArgumentException e) {
        throw new InvalidTelemetryTypeException(
            type.source() + ": x-telemetry." + NAME + ": " + e.getMessage(), e);
      }
      types.put(type.id(), new Mapped(mapping, type));
    }
    return new InfluxTelemetrySink(Map.copyOf(types), settings);
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public List<Rejection> write(List<TelemetryRecord> records) {
    List<Rejection> rejections = new ArrayList<>();
    List<String> lines = new ArrayList<>(records.size());
    for (TelemetryRecord record : records) {
      Mapped type = types.get(record.type());
      if (type == null) {
        rejections.add(new Rejection(record, "unknown telemetry type " + record.type()));
        continue;
      }
      PointMapper.Point point = PointMapper.map(type.mapping(), type.type().properties(), record);
      if (point.line() == null) {
        rejections.add(new Rejection(record, point.refusal()));
      } else {
        lines.add(point.line());
      }
    }
    for (int from = 0; from < lines.size(); from += settings.batchSize()) {
      writeLines(lines.subList(from, Math.min(lines.size(), from + settings.batchSize())));
    }
    rejected.addAndGet(rejections.size());
    return rejections;
  }

  private void writeLines(List<String> lines) {
    try {
      writes.writeRecords(WritePrecision.NS, lines);
      written.addAndGet(lines.size());
    } catch (InfluxException e) {
      String problem = "InfluxDB at " + settings.url() + " did not take the points: " + describe(e);
      if (UNAVAILABLE.contains(e.status())) {
        throw new SinkUnavailableException(problem, e);
      }
      if (REFUSED.contains(e.status())) {
        throw new SinkRefusedException(problem, e);
      }
      throw new TelemetryException(problem, e);
    }
  }

  private static String describe(InfluxException e) {
    String status = e.status() == 0 ? "no answer" : "HTTP " + e.status();
    return status + ": " + e.getMessage();
  }

  /** Points written since the sink was created. */
  public long written() {
    return written.get();
  }

  /**
   * Records refused before writing since the sink was created: values InfluxDB cannot hold, and
   * unknown types.
   */
  public long rejected() {
    return rejected.get();
  }

  @Override
  public void close() {
    client.close();
  }

  @Override
  public String toString() {
    return "InfluxDB at " + settings.url() + ", bucket " + settings.bucket();
  }
}

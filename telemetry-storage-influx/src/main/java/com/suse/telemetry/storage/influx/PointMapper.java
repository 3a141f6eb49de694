package com.suse.telemetry.storage.influx;

import com.suse.telemetry.core.InfluxMapping;
import com.suse.telemetry.core.PropertyType;
import com.suse.telemetry.core.TelemetryRecord;
import com.suse.telemetry.core.TelemetryType;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Turns a record into one InfluxDB point as its type's schema declares: measurement, tags and
 * fields from the {@code x-telemetry} mapping, timestamp the record time in nanoseconds. Integers
 * become integer fields ({@code 2i}), numbers floats, strings and booleans their own kinds; null,
 * absent and unrepresentable values are left out, and so are empty tags. Tags and fields are
 * written sorted by key, as InfluxDB prefers. Stateless and thread-safe.
 */
final class PointMapper {

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final BigDecimal LONG_MIN = BigDecimal.valueOf(Long.MIN_VALUE);
  private static final BigDecimal LONG_MAX = BigDecimal.valueOf(Long.MAX_VALUE);
  // InfluxDB timestamps are signed 64-bit nanoseconds since the epoch.
  private static final Instant EARLIEST = Instant.ofEpochSecond(0, Long.MIN_VALUE);
  private static final Instant LATEST = Instant.ofEpochSecond(0, Long.MAX_VALUE);

  private PointMapper() {}

  /**
   * The point of {@code record}, or why it has none.
   *
   * @param line the point in line protocol, or null when skipped
   * @param skipReason why the record has no point, or null
   */
  record Point(String line, String skipReason) {
    static Point skipped(String reason) {
      return new Point(null, reason);
    }
  }

  static Point map(TelemetryType type, TelemetryRecord record) {
    if (record.time().isBefore(EARLIEST) || record.time().isAfter(LATEST)) {
      return Point.skipped("record time outside InfluxDB's range");
    }
    JsonNode json;
    try {
      json = JSON.readTree(record.json());
    } catch (JacksonException e) {
      return Point.skipped("record is not JSON");
    }
    InfluxMapping mapping = type.influxMapping();
    StringBuilder line = new StringBuilder(256);
    LineProtocol.measurement(line, mapping.measurement());
    for (String tag : sorted(mapping.tags())) {
      JsonNode value = json.path(tag);
      String text =
          value.isString()
              ? value.stringValue()
              : value.isValueNode() && !value.isNull() ? value.asString() : null;
      if (text != null && !text.isEmpty()) {
        line.append(',');
        LineProtocol.key(line, tag);
        line.append('=');
        LineProtocol.key(line, text);
      }
    }
    int fields = 0;
    Map<String, PropertyType> properties = type.properties();
    for (String field : sorted(mapping.fields())) {
      int mark = line.length();
      line.append(fields == 0 ? ' ' : ',');
      LineProtocol.key(line, field);
      line.append('=');
      if (appendValue(line, properties.get(field), json.path(field))) {
        fields++;
      } else {
        line.setLength(mark);
      }
    }
    if (fields == 0) {
      return Point.skipped("no field has a value");
    }
    long nanos = record.time().getEpochSecond() * 1_000_000_000L + record.time().getNano();
    return new Point(line.append(' ').append(nanos).toString(), null);
  }

  /** Appends {@code value} as the field type the schema gives; false if it has none. */
  private static boolean appendValue(StringBuilder line, PropertyType type, JsonNode value) {
    if (value.isMissingNode() || value.isNull() || type == null) {
      return false;
    }
    switch (type) {
      case INTEGER -> {
        if (!value.isNumber()) {
          return false;
        }
        BigDecimal number = value.decimalValue();
        if (number.compareTo(LONG_MIN) < 0
            || number.compareTo(LONG_MAX) > 0
            || number.stripTrailingZeros().scale() > 0) {
          return false;
        }
        line.append(number.longValueExact()).append('i');
      }
      case NUMBER -> {
        double number = value.isNumber() ? value.doubleValue() : Double.NaN;
        if (!Double.isFinite(number)) {
          return false;
        }
        line.append(number);
      }
      case BOOLEAN -> {
        if (!value.isBoolean()) {
          return false;
        }
        line.append(value.booleanValue());
      }
      case STRING -> {
        if (!value.isString()) {
          return false;
        }
        LineProtocol.stringValue(line, value.stringValue());
      }
      case JSON -> {
        return false;
      }
    }
    return true;
  }

  private static List<String> sorted(List<String> names) {
    return names.stream().sorted().toList();
  }
}

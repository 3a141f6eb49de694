package com.suse.telemetry.storage.influx;

import com.suse.telemetry.core.PrintableText;
import com.suse.telemetry.core.PropertyType;
import com.suse.telemetry.core.TelemetryRecord;
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
 * become integer fields ({@code 2i}), numbers floats, strings and booleans their own kinds; null
 * and absent values are left out, and so are empty tags. A record InfluxDB cannot hold (a time
 * outside its range, an integer beyond 64 bits, a number beyond a double, no field with a value)
 * has no point: it is refused with the reason, never written without the value. Tags and fields are
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
   * The point of {@code record}, or why InfluxDB cannot hold it.
   *
   * @param line the point in line protocol, or null when refused
   * @param refusal why the record has no point, or null
   */
  record Point(String line, String refusal) {
    static Point refused(String reason) {
      return new Point(null, reason);
    }
  }

  /** A value InfluxDB cannot hold, and why. */
  private static final class Unrepresentable extends Exception {
    private static final long serialVersionUID = 1L;

    Unrepresentable(String reason) {
      super(reason, null, false, false);
    }
  }

  static Point map(
      InfluxMapping mapping, Map<String, PropertyType> properties, TelemetryRecord record) {
    if (record.time().isBefore(EARLIEST) || record.time().isAfter(LATEST)) {
      return Point.refused(
          "record time "
              + record.time()
              + " is outside InfluxDB's range ("
              + EARLIEST
              + " to "
              + LATEST
              + ")");
    }
    JsonNode json;
    try {
      json = JSON.readTree(record.json());
    } catch (JacksonException e) {
      return Point.refused("the record is not JSON");
    }
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
    for (String field : sorted(mapping.fields())) {
      int mark = line.length();
      line.append(fields == 0 ? ' ' : ',');
      LineProtocol.key(line, field);
      line.append('=');
      try {
        if (appendValue(line, properties.get(field), json.path(field))) {
          fields++;
        } else {
          line.setLength(mark);
        }
      } catch (Unrepresentable e) {
        return Point.refused("field '" + PrintableText.of(field) + "': " + e.getMessage());
      }
    }
    if (fields == 0) {
      return Point.refused("no field has a value, and InfluxDB holds no point without one");
    }
    long nanos = record.time().getEpochSecond() * 1_000_000_000L + record.time().getNano();
    return new Point(line.append(' ').append(nanos).toString(), null);
  }

  /**
   * Appends {@code value} as the field type the schema gives; false if it has no value.
   *
   * @throws Unrepresentable if InfluxDB cannot hold it as that type
   */
  private static boolean appendValue(StringBuilder line, PropertyType type, JsonNode value)
      throws Unrepresentable {
    if (value.isMissingNode() || value.isNull() || type == null || type == PropertyType.JSON) {
      return false;
    }
    switch (type) {
      case INTEGER -> {
        BigDecimal number = number(value, "an integer");
        if (number.stripTrailingZeros().scale() > 0) {
          throw new Unrepresentable(number + " is not a whole number");
        }
        if (number.compareTo(LONG_MIN) < 0 || number.compareTo(LONG_MAX) > 0) {
          throw new Unrepresentable(
              number.toBigInteger() + " is outside InfluxDB's integer range (64 bits, signed)");
        }
        line.append(number.longValueExact()).append('i');
      }
      case NUMBER -> {
        if (!value.isNumber()) {
          throw new Unrepresentable("not a number");
        }
        double number = value.doubleValue();
        if (!Double.isFinite(number)) {
          throw new Unrepresentable(
              PrintableText.of(value.asString(), 40) + " is outside InfluxDB's float range");
        }
        line.append(number);
      }
      case BOOLEAN -> {
        if (!value.isBoolean()) {
          throw new Unrepresentable("not a boolean");
        }
        line.append(value.booleanValue());
      }
      default -> {
        if (!value.isString()) {
          throw new Unrepresentable("not a string");
        }
        LineProtocol.stringValue(line, value.stringValue());
      }
    }
    return true;
  }

  private static BigDecimal number(JsonNode value, String what) throws Unrepresentable {
    if (!value.isNumber()) {
      throw new Unrepresentable("not " + what);
    }
    try {
      return value.decimalValue();
    } catch (NumberFormatException | ArithmeticException e) {
      throw new Unrepresentable(PrintableText.of(value.asString(), 40) + " is not " + what);
    }
  }

  private static List<String> sorted(List<String> names) {
    return names.stream().sorted().toList();
  }
}

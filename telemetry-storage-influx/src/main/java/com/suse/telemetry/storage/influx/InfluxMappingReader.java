package com.suse.telemetry.storage.influx;

import com.suse.telemetry.core.PropertyType;
import com.suse.telemetry.core.SinkMetadata;
import com.suse.telemetry.core.TelemetryType;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads a type's {@code x-telemetry.influxdb} section, every part optional:
 *
 * <pre>{@code
 * "influxdb": {
 *   "measurement": "host_telemetry",          // default: the telemetry type's name
 *   "tags": ["installation_id", "agent_id"],  // default: none
 *   "fields": ["cpu_count", "..."]            // default: every other single-valued property
 * }                                           // but the record time
 * }</pre>
 *
 * Tags and fields must be single-valued properties the schema declares, none both. Stateless.
 */
final class InfluxMappingReader implements SinkMetadata<InfluxMapping> {

  private static final Set<String> KEYS = Set.of("measurement", "tags", "fields");

  @Override
  public String sink() {
    return InfluxTelemetrySink.NAME;
  }

  @Override
  public Class<InfluxMapping> type() {
    return InfluxMapping.class;
  }

  @Override
  public InfluxMapping read(TelemetryType type, Map<String, Object> section) {
    for (String key : section.keySet()) {
      if (!KEYS.contains(key)) {
        throw new IllegalArgumentException(
            "unknown key '" + key + "' (known: " + String.join(", ", sorted(KEYS)) + ")");
      }
    }
    Map<String, PropertyType> properties = type.properties();
    Object measurement = section.get("measurement");
    if (measurement != null && (!(measurement instanceof String text) || text.isBlank())) {
      throw new IllegalArgumentException("measurement must be a string that is not blank");
    }
    List<String> tags = names(section, "tags", properties);
    List<String> fields;
    if (section.containsKey("fields")) {
      fields = names(section, "fields", properties);
    } else {
      String recordTime = type.recordTimeField().orElse(null);
      fields = new ArrayList<>();
      properties.forEach(
          (name, propertyType) -> {
            if (propertyType.isScalar() && !tags.contains(name) && !name.equals(recordTime)) {
              fields.add(name);
            }
          });
    }
    for (String tag : tags) {
      if (fields.contains(tag)) {
        throw new IllegalArgumentException("'" + tag + "' cannot be both a tag and a field");
      }
    }
    return new InfluxMapping(
        measurement == null ? type.id().telemetryType() : (String) measurement, tags, fields);
  }

  private static List<String> names(
      Map<String, Object> section, String key, Map<String, PropertyType> properties) {
    Object value = section.get(key);
    if (value == null) {
      return List.of();
    }
    if (!(value instanceof List<?> list) || !list.stream().allMatch(String.class::isInstance)) {
      throw new IllegalArgumentException(key + " must be an array of property names");
    }
    List<String> names = list.stream().map(String.class::cast).toList();
    if (new LinkedHashSet<>(names).size() != names.size()) {
      throw new IllegalArgumentException(key + " names a property twice");
    }
    for (String name : names) {
      PropertyType type = properties.get(name);
      if (type == null) {
        throw new IllegalArgumentException(
            key
                + " names '"
                + name
                + "', which the schema does not declare as a property of a record (declared: "
                + String.join(", ", properties.keySet())
                + ")");
      }
      if (!type.isScalar()) {
        throw new IllegalArgumentException(
            key + " names '" + name + "', which is not a single string, number or boolean");
      }
    }
    return names;
  }

  private static List<String> sorted(Set<String> names) {
    return names.stream().sorted().toList();
  }
}

package com.suse.telemetry.storage.influx;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * How records of a telemetry type become InfluxDB points: one point per record, in {@code
 * measurement}, with the named top-level properties as tags and fields. Read from the {@code
 * x-telemetry.influxdb} section of the type's schema.
 *
 * @param measurement the InfluxDB measurement
 * @param tags properties written as tags (indexed, always strings)
 * @param fields properties written as fields, typed as the schema declares them
 */
public record InfluxMapping(String measurement, List<String> tags, List<String> fields) {

  /** Checks the parts and takes immutable copies of the lists. */
  public InfluxMapping {
    requireNonNull(measurement, "measurement");
    if (measurement.isBlank()) {
      throw new IllegalArgumentException("measurement must not be blank");
    }
    tags = List.copyOf(tags);
    fields = List.copyOf(fields);
  }
}

package com.suse.telemetry.core;

import com.suse.telemetry.core.internal.TypeDefinition;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One version of a telemetry type: the JSON Schema its payloads must follow, and the metadata from
 * the schema's {@code x-telemetry} object that says how its records are timed, identified and
 * mapped to InfluxDB. Immutable and safe to share between threads.
 */
public final class TelemetryType {

  private final TypeDefinition definition;

  TelemetryType(TypeDefinition definition) {
    this.definition = definition;
  }

  /** The application, type name and schema version. */
  public TelemetryTypeId id() {
    return definition.id();
  }

  /** The schema's {@code title}, or an empty string. */
  public String title() {
    return definition.title();
  }

  /** The schema's {@code description}, or an empty string. */
  public String description() {
    return definition.description();
  }

  /** Where the schema was loaded from: a file path, or a URI inside a jar. */
  public String source() {
    return definition.source();
  }

  /** The schema file's text, as published by the collector. */
  public String schemaJson() {
    return definition.schemaJson();
  }

  /**
   * The record property that holds each record's time (an RFC 3339 date-time, or a full-date
   * meaning its midnight UTC); when empty, or when a record lacks it, the envelope's time is the
   * record's time.
   */
  public Optional<String> recordTimeField() {
    return Optional.ofNullable(definition.recordTimeField());
  }

  /**
   * The record properties whose values identify a record, so that a record sent again is stored
   * once; they include the record time, since records are de-duplicated per record time. Empty when
   * the whole record is its identity.
   */
  public List<String> identityFields() {
    return definition.identityFields();
  }

  /** The top-level properties of a record and their types, in schema order. */
  public Map<String, PropertyType> properties() {
    return definition.properties();
  }

  /** How records of this type become InfluxDB points. */
  public InfluxMapping influxMapping() {
    return definition.influx();
  }

  TypeDefinition definition() {
    return definition;
  }

  @Override
  public String toString() {
    return id().toString();
  }
}

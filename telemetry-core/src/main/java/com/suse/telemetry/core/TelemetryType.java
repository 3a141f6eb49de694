package com.suse.telemetry.core;

import static java.util.Objects.requireNonNull;

import com.suse.telemetry.core.internal.TypeDefinition;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One version of a telemetry type: the JSON Schema its payloads must follow, and the metadata from
 * the schema's {@code x-telemetry} object that says how its records are timed and identified, with
 * each secondary sink's own section. Immutable and safe to share between threads.
 */
public final class TelemetryType {

  private final TypeDefinition definition;
  private final Map<String, Object> sinkMetadata;

  TelemetryType(TypeDefinition definition) {
    this(definition, Map.of());
  }

  private TelemetryType(TypeDefinition definition, Map<String, Object> sinkMetadata) {
    this.definition = definition;
    this.sinkMetadata = sinkMetadata;
  }

  /** This type, with {@code sinkMetadata} (read sections, by sink name) attached. */
  TelemetryType withSinkMetadata(Map<String, Object> sinkMetadata) {
    return new TelemetryType(definition, Map.copyOf(sinkMetadata));
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

  /**
   * The section of {@code x-telemetry} under a secondary sink's name, as plain values ({@code
   * String}, {@code Boolean}, {@code Long}, {@code java.math.BigInteger}, {@code
   * java.math.BigDecimal}, {@code List}, {@code Map}, or null), if the schema has one. Sinks read
   * it with their {@link SinkMetadata}.
   */
  public Optional<Map<String, Object>> sinkSection(String sink) {
    return Optional.ofNullable(definition.sinkSections().get(requireNonNull(sink, "sink")));
  }

  /** The names of the secondary sinks this type's schema has a section for, in schema order. */
  public List<String> sinkSections() {
    return List.copyOf(definition.sinkSections().keySet());
  }

  /**
   * What {@code sink}'s {@link SinkMetadata}, given to the registry, read from this type's section
   * (defaults filled in); empty when the registry was built without it.
   *
   * @throws ClassCastException if it read something other than a {@code type}
   */
  public <T> Optional<T> sinkMetadata(String sink, Class<T> type) {
    return Optional.ofNullable(sinkMetadata.get(requireNonNull(sink, "sink"))).map(type::cast);
  }

  TypeDefinition definition() {
    return definition;
  }

  @Override
  public String toString() {
    return id().toString();
  }
}

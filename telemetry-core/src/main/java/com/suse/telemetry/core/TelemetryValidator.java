package com.suse.telemetry.core;

import static java.util.Objects.requireNonNull;

import com.suse.telemetry.core.internal.JsonDocuments;
import com.suse.telemetry.core.internal.JsonPointers;
import com.suse.telemetry.core.internal.RecordIdentity;
import com.suse.telemetry.core.internal.Rfc3339;
import com.suse.telemetry.core.internal.TypeDefinition;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SortedSet;
import java.util.UUID;
import tools.jackson.databind.JsonNode;

/**
 * Validates telemetry and splits it into records. Reports every problem at once, each with a JSON
 * Pointer into the submitted document: malformed or unstorable JSON, envelope violations, unknown
 * application, type or version, payload schema violations and unparsable record times.
 *
 * <p>Immutable and safe to share between threads. Each schema was compiled once, when the registry
 * was built; each document is parsed once.
 *
 * <pre>{@code
 * TelemetryValidator validator = TelemetryValidator.create(TelemetryTypeRegistry.bundled());
 * ValidationResult result = validator.validate(json);
 * if (!result.isValid()) {
 *   result.violations().forEach(v -> System.out.println(v.pointer() + ": " + v.message()));
 * }
 * }</pre>
 */
public final class TelemetryValidator {

  private final TelemetryTypeRegistry registry;
  private final Clock clock;

  private TelemetryValidator(TelemetryTypeRegistry registry, Clock clock) {
    this.registry = registry;
    this.clock = clock;
  }

  /** A validator for the types in {@code registry}, stamping records with the system clock. */
  public static TelemetryValidator create(TelemetryTypeRegistry registry) {
    return create(registry, Clock.systemUTC());
  }

  /** A validator for the types in {@code registry}, stamping records with {@code clock}. */
  public static TelemetryValidator create(TelemetryTypeRegistry registry, Clock clock) {
    return new TelemetryValidator(
        requireNonNull(registry, "registry"), requireNonNull(clock, "clock"));
  }

  /** The registry this validator checks against. */
  public TelemetryTypeRegistry registry() {
    return registry;
  }

  /** Validates an envelope given as JSON text. */
  public ValidationResult validate(String envelopeJson) {
    return validate(envelopeJson.getBytes(StandardCharsets.UTF_8));
  }

  /** Validates an envelope given as JSON bytes. */
  public ValidationResult validate(byte[] envelopeJson) {
    return validateEnvelope(clock.instant(), JsonDocuments.parse(envelopeJson));
  }

  /**
   * Validates an envelope read from {@code envelopeJson}, which is read to its end but not closed.
   *
   * @throws java.io.UncheckedIOException if reading the stream fails
   */
  public ValidationResult validate(InputStream envelopeJson) {
    return validateEnvelope(clock.instant(), JsonDocuments.parse(envelopeJson));
  }

  private ValidationResult validateEnvelope(Instant receivedAt, JsonDocuments.Parsed parsed) {
    if (!parsed.isValid()) {
      return ValidationResult.invalid(null, RejectionReason.MALFORMED_JSON, parsed.violations());
    }
    JsonNode envelope = parsed.root();
    List<Violation> violations = new ArrayList<>(registry.envelopeSchema().validate(envelope, ""));
    if (!envelope.isObject()) {
      return ValidationResult.invalid(null, RejectionReason.INVALID_ENVELOPE, violations);
    }
    Set<String> flagged = new HashSet<>();
    violations.forEach(v -> flagged.add(v.pointer()));

    Instant time = null;
    if (envelope.has("time") && !flagged.contains("/time")) {
      time = parseTime(envelope.get("time").stringValue(), false, "/time", violations);
    }
    UUID envelopeId =
        envelope.has("id") && !flagged.contains("/id")
            ? UUID.fromString(envelope.get("id").stringValue())
            : null;
    int envelopeViolations = violations.size();
    TypeDefinition type = null;
    if (envelope.has("application")
        && envelope.has("telemetry_type")
        && !flagged.contains("/application")
        && !flagged.contains("/telemetry_type")
        && !flagged.contains("/schema_version")) {
      type =
          lookUp(
              envelope.get("application").stringValue(),
              envelope.get("telemetry_type").stringValue(),
              envelope.path("schema_version").asInt(1),
              violations);
    }
    List<TelemetryRecord> records = List.of();
    if (type != null && envelope.has("payload")) {
      records =
          readPayload(type, envelope.get("payload"), "/payload", time, receivedAt, violations);
    }
    TelemetryTypeId typeId = type == null ? null : type.id();
    if (!violations.isEmpty()) {
      RejectionReason reason =
          envelopeViolations > 0
              ? RejectionReason.INVALID_ENVELOPE
              : type == null ? RejectionReason.UNKNOWN_TYPE : RejectionReason.INVALID_PAYLOAD;
      return ValidationResult.invalid(typeId, reason, violations);
    }
    return ValidationResult.valid(
        typeId,
        envelopeId == null
            ? Submission.of(records)
            : Submission.withEnvelopeId(envelopeId, records));
  }

  /**
   * Validates a bare payload of a known type, with no envelope around it, as Trento's legacy
   * publisher sends it. The envelope time is the time of receipt; pointers are relative to the
   * payload.
   *
   * @throws IllegalArgumentException if {@code type} is not in the registry
   * @throws java.io.UncheckedIOException if reading the stream fails
   */
  public ValidationResult validatePayload(TelemetryTypeId type, InputStream payloadJson) {
    return validatePayload(type, clock.instant(), JsonDocuments.parse(payloadJson));
  }

  /** Validates a bare payload of a known type given as JSON bytes; see the stream variant. */
  public ValidationResult validatePayload(TelemetryTypeId type, byte[] payloadJson) {
    return validatePayload(type, clock.instant(), JsonDocuments.parse(payloadJson));
  }

  private ValidationResult validatePayload(
      TelemetryTypeId type, Instant receivedAt, JsonDocuments.Parsed parsed) {
    TypeDefinition definition =
        registry
            .find(type)
            .orElseThrow(() -> new IllegalArgumentException("unknown telemetry type " + type))
            .definition();
    if (!parsed.isValid()) {
      return ValidationResult.invalid(type, RejectionReason.MALFORMED_JSON, parsed.violations());
    }
    List<Violation> violations = new ArrayList<>();
    List<TelemetryRecord> records =
        readPayload(definition, parsed.root(), "", receivedAt, receivedAt, violations);
    return violations.isEmpty()
        ? ValidationResult.valid(type, Submission.of(records))
        : ValidationResult.invalid(type, RejectionReason.INVALID_PAYLOAD, violations);
  }

  private TypeDefinition lookUp(
      String application, String telemetryType, int version, List<Violation> violations) {
    TelemetryTypeId id = new TelemetryTypeId(application, telemetryType, version);
    var type = registry.find(id);
    if (type.isPresent()) {
      return type.get().definition();
    }
    if (!registry.applications().contains(application)) {
      violations.add(
          new Violation(
              "/application",
              "unknown application '"
                  + application
                  + "' (known: "
                  + String.join(", ", registry.applications())
                  + ")"));
      return null;
    }
    SortedSet<String> types = registry.telemetryTypes(application);
    if (!types.contains(telemetryType)) {
      violations.add(
          new Violation(
              "/telemetry_type",
              "unknown telemetry type '"
                  + telemetryType
                  + "' of application '"
                  + application
                  + "' (known: "
                  + String.join(", ", types)
                  + ")"));
      return null;
    }
    violations.add(
        new Violation(
            "/schema_version",
            "unknown schema version "
                + version
                + " of "
                + application
                + "/"
                + telemetryType
                + " (known: "
                + registry.schemaVersions(application, telemetryType)
                + ")"));
    return null;
  }

  /**
   * Validates {@code payload} and splits it into records. Adds every problem to {@code violations};
   * the records are meaningful only when it stays empty.
   */
  private static List<TelemetryRecord> readPayload(
      TypeDefinition type,
      JsonNode payload,
      String pointer,
      Instant envelopeTime,
      Instant receivedAt,
      List<Violation> violations) {
    List<Violation> schemaViolations = type.schema().validate(payload, pointer);
    if (!schemaViolations.isEmpty()) {
      violations.addAll(schemaViolations);
      return List.of();
    }
    boolean array = payload.isArray();
    int count = array ? payload.size() : 1;
    List<TelemetryRecord> records = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      JsonNode record = array ? payload.get(i) : payload;
      String recordPointer = array ? JsonPointers.index(pointer, i) : pointer;
      Instant time = recordTime(type, record, recordPointer, envelopeTime, violations);
      if (time != null) {
        // A date names its day in one way only, so it identifies as written; a date-time as the
        // instant it names, whatever its offset.
        String identity =
            RecordIdentity.of(
                record,
                type.identityFields(),
                type.recordTimeIsDate() ? null : type.recordTimeField(),
                time);
        records.add(
            new TelemetryRecord(
                type.id(), time, receivedAt, identity, JsonDocuments.write(record)));
      }
    }
    return records;
  }

  private static Instant recordTime(
      TypeDefinition type,
      JsonNode record,
      String recordPointer,
      Instant envelopeTime,
      List<Violation> violations) {
    String field = type.recordTimeField();
    if (field != null && record.path(field).isString()) {
      return parseTime(
          record.get(field).stringValue(),
          type.recordTimeIsDate(),
          JsonPointers.property(recordPointer, field),
          violations);
    }
    return envelopeTime;
  }

  private static Instant parseTime(
      String text, boolean date, String pointer, List<Violation> violations) {
    try {
      return date ? Rfc3339.parseDate(text) : Rfc3339.parse(text);
    } catch (DateTimeException e) {
      String expected = date ? Rfc3339.EXPECTED_DATE : Rfc3339.EXPECTED;
      violations.add(
          new Violation(
              pointer,
              e.getMessage().equals(expected)
                  ? e.getMessage()
                  : (date ? "not a valid date: " : "not a valid date-time: ") + e.getMessage()));
      return null;
    }
  }
}

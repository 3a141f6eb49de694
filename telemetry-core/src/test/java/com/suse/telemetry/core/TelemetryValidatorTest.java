package com.suse.telemetry.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TelemetryValidatorTest {

  private static final Instant NOW = Instant.parse("2026-01-02T03:04:05.123456789Z");
  private static final TelemetryTypeRegistry REGISTRY = TelemetryTypeRegistry.bundled();
  private static final TelemetryTypeId HOSTS = new TelemetryTypeId("trento", "host_telemetry", 1);

  private final TelemetryValidator validator =
      TelemetryValidator.create(REGISTRY, Clock.fixed(NOW, ZoneOffset.UTC));

  private static String host(String agentId, String cpuCount) {
    return """
        {"installation_id": "7826342e-8888-8888-8888-253f89af9127", "agent_id": "%s",
         "sles_version": "15-SP2", "cpu_count": %s, "socket_count": 8, "total_memory_mb": 4096,
         "cloud_provider": "azure", "time": "2021-11-23T11:04:02.462687463+01:00"}"""
        .formatted(agentId, cpuCount);
  }

  private static String envelope(String payload) {
    return """
        {"application": "trento", "telemetry_type": "host_telemetry",
         "time": "2021-11-23T11:04:02.462687463+01:00", "payload": %s}"""
        .formatted(payload);
  }

  @Test
  void saysAtWhichStageASubmissionWasRejected() throws IOException {
    String valid =
        Files.readString(
            Path.of(
                "..", "schemas", "examples", "envelope", "valid", "design-document-example.json"));

    assertThat(validator.validate(valid).rejectionReason()).isEmpty();
    assertThat(validator.validate("{\"application\":").rejectionReason())
        .contains(RejectionReason.MALFORMED_JSON);
    assertThat(validator.validate(valid.replace("\"time\"", "\"tim\"")).rejectionReason())
        .contains(RejectionReason.INVALID_ENVELOPE);
    assertThat(
            validator
                .validate(valid.replace("\"host_telemetry\"", "\"no_such_type\""))
                .rejectionReason())
        .contains(RejectionReason.UNKNOWN_TYPE);
    assertThat(
            validator
                .validate(valid.replaceFirst("\"cpu_count\":\\s*[0-9]+", "\"cpu_count\":-1"))
                .rejectionReason())
        .contains(RejectionReason.INVALID_PAYLOAD);
    assertThat(validator.validatePayload(HOSTS, "[{]".getBytes()).rejectionReason())
        .contains(RejectionReason.MALFORMED_JSON);
    assertThat(validator.validatePayload(HOSTS, "[{}]".getBytes()).rejectionReason())
        .contains(RejectionReason.INVALID_PAYLOAD);
  }

  @Test
  void acceptsTheDesignDocumentExampleAsTwoRecords() {
    ValidationResult result = validator.validate(SchemaFiles.designDocumentEnvelope());

    assertThat(result.isValid()).isTrue();
    assertThat(result.type()).contains(HOSTS);
    List<TelemetryRecord> records = result.submission().records();
    assertThat(records).hasSize(2);
    TelemetryRecord first = records.get(0);
    assertThat(first.type()).isEqualTo(HOSTS);
    assertThat(first.time()).isEqualTo(Instant.parse("2021-11-23T10:04:02.462687463Z"));
    assertThat(first.receivedAt()).isEqualTo(NOW);
    assertThat(first.identity()).matches("[0-9a-f]{32}");
    assertThat(first.json())
        .startsWith("{\"installation_id\":\"7826342e-8888-8888-8888-253f89af9127\"")
        .contains("\"agent_id\":\"e93c2b22-5555-5555-8666-12372d2cb8ac\"");
    assertThat(records.get(1).identity()).isNotEqualTo(first.identity());
    assertThat(result.submission().envelopeId()).isEmpty();
  }

  @Test
  void reportsEachPayloadViolationWithItsPointer() {
    ValidationResult result =
        validator.validate(
            envelope(
                "["
                    + host("e93c2b22-5555-5555-8666-12372d2cb8ac", "2")
                    + ", "
                    + host("not-a-uuid", "-1")
                    + "]"));

    assertThat(result.isValid()).isFalse();
    assertThat(result.violations())
        .extracting(Violation::pointer)
        .containsExactlyInAnyOrder("/payload/1/agent_id", "/payload/1/cpu_count");
    assertThat(result.violations())
        .filteredOn(v -> v.pointer().equals("/payload/1/cpu_count"))
        .singleElement()
        .extracting(Violation::message)
        .asString()
        .contains("minimum");
  }

  @Test
  void reportsEveryEnvelopeProblemAtOnce() {
    ValidationResult result =
        validator.validate(
            """
        {"application": 7, "time": "yesterday", "schema_version": 0, "id": "x",
         "hostname": "db01", "payload": []}""");

    assertThat(result.violations())
        .extracting(Violation::pointer)
        .containsExactlyInAnyOrder(
            "/application", "/telemetry_type", "/time", "/schema_version", "/id", "/hostname");
    assertThat(result.violations())
        .filteredOn(v -> v.pointer().equals("/telemetry_type"))
        .singleElement()
        .extracting(Violation::message)
        .isEqualTo("is required but missing");
    assertThat(result.violations())
        .filteredOn(v -> v.pointer().equals("/time"))
        .singleElement()
        .extracting(Violation::message)
        .asString()
        .contains("RFC 3339");
  }

  @Test
  void reportsEnvelopeAndPayloadProblemsTogether() {
    ValidationResult result =
        validator.validate(
            """
        {"application": "trento", "telemetry_type": "host_telemetry", "extra": 1,
         "time": "2021-11-23T11:04:02Z", "payload": [%s]}"""
                .formatted(host("x", "\"2\"")));

    assertThat(result.violations())
        .extracting(Violation::pointer)
        .containsExactlyInAnyOrder("/extra", "/payload/0/agent_id", "/payload/0/cpu_count");
  }

  @Test
  void reportsAnUnknownApplicationTypeOrVersion() {
    assertThat(
            validator
                .validate(
                    """
        {"application": "wordpad", "telemetry_type": "host_telemetry",
         "time": "2021-11-23T11:04:02Z", "payload": []}""")
                .violations())
        .containsExactly(
            new Violation("/application", "unknown application 'wordpad' (known: sles, trento)"));
    assertThat(
            validator
                .validate(
                    """
        {"application": "trento", "telemetry_type": "cluster_telemetry",
         "time": "2021-11-23T11:04:02Z", "payload": []}""")
                .violations())
        .containsExactly(
            new Violation(
                "/telemetry_type",
                "unknown telemetry type 'cluster_telemetry' of application 'trento'"
                    + " (known: host_telemetry)"));
    assertThat(
            validator
                .validate(
                    """
        {"application": "trento", "telemetry_type": "host_telemetry", "schema_version": 2,
         "time": "2021-11-23T11:04:02Z", "payload": []}""")
                .violations())
        .containsExactly(
            new Violation(
                "/schema_version",
                "unknown schema version 2 of trento/host_telemetry (known: [1])"));
  }

  @Test
  void reportsARecordTimeThatNamesNoRealInstant() {
    ValidationResult result =
        validator.validate(
            envelope(
                "["
                    + host("e93c2b22-5555-5555-8666-12372d2cb8ac", "2")
                        .replace("2021-11-23T11:04:02.462687463+01:00", "2021-02-30T11:04:02Z")
                    + "]"));

    assertThat(result.violations())
        .singleElement()
        .satisfies(v -> assertThat(v.pointer()).isEqualTo("/payload/0/time"))
        .satisfies(v -> assertThat(v.message()).startsWith("must be an RFC 3339 date-time"));
  }

  @Test
  void checksRecordTimesEvenWhenTheSchemaGivesNoFormat(@TempDir Path schemas) throws IOException {
    Path file = schemas.resolve("acme/probe/v1.schema.json");
    Files.createDirectories(file.getParent());
    Files.writeString(
        file,
        """
        {"type": "array", "items": {"type": "object", "properties": {"seen": {"type": "string"}}},
         "x-telemetry": {"record_time": "seen"}}""");
    TelemetryValidator probes =
        TelemetryValidator.create(
            TelemetryTypeRegistry.builder().withoutBundledTypes().addDirectory(schemas).build());

    ValidationResult result =
        probes.validatePayload(
            new TelemetryTypeId("acme", "probe", 1),
            "[{\"seen\": \"2024-01-01T00:00:00Z\"}, {\"seen\": \"2021-02-30T11:04:02Z\"},"
                .concat(" {\"seen\": \"yesterday\"}]")
                .getBytes());

    assertThat(result.violations())
        .extracting(Violation::pointer)
        .containsExactly("/1/seen", "/2/seen");
    assertThat(result.violations().get(0).message()).startsWith("not a valid date-time");
    assertThat(result.violations().get(1).message()).startsWith("must be an RFC 3339");
  }

  @Test
  void reportsAnIntegerBeyond64BitsWrittenWithAnExponent() {
    ValidationResult result =
        validator.validate(
            envelope(
                "["
                    + host("e93c2b22-5555-5555-8666-12372d2cb8ac", "1e19")
                    + ", "
                    + host("e93c2b22-5555-5555-8666-12372d2cb8ad", "2")
                    + "]"));

    assertThat(result.violations())
        .containsExactly(
            new Violation("/payload/0/cpu_count", "integer out of range: beyond 64 bits"));
  }

  @Test
  void reportsMalformedJsonAsTheOnlyViolation() {
    ValidationResult result = validator.validate("{\"application\": \"trento\",");

    assertThat(result.type()).isEmpty();
    assertThat(result.violations())
        .singleElement()
        .extracting(Violation::message)
        .asString()
        .startsWith("malformed JSON at line 1");
  }

  @Test
  void rejectsADocumentThatIsNotAnObject() {
    assertThat(validator.validate("[1, 2]").violations())
        .singleElement()
        .extracting(Violation::pointer)
        .isEqualTo("");
  }

  @Test
  void carriesTheEnvelopeIdAndTakesADateRecordTimeAsItsMidnightUtc() {
    ValidationResult result =
        validator.validate(
            SchemaFiles.example("examples/envelope/valid/with-id-and-schema-version.json"));

    assertThat(result.submission().envelopeId())
        .contains(UUID.fromString("6f1c2d3e-4a5b-4c6d-8e7f-901a2b3c4d5e"));
    assertThat(result.submission().records())
        .singleElement()
        .extracting(TelemetryRecord::time)
        .isEqualTo(Instant.parse("2024-05-17T00:00:00Z"));
  }

  @Test
  void aProfileSentAgainInALaterEnvelopeIsTheSameRecord() {
    String envelope =
        new String(
            SchemaFiles.example("examples/envelope/valid/with-id-and-schema-version.json"),
            java.nio.charset.StandardCharsets.UTF_8);
    String later =
        envelope
            .replace("2024-05-17T03:12:45.5Z", "2024-05-18T09:00:00Z")
            .replace(
                "6f1c2d3e-4a5b-4c6d-8e7f-901a2b3c4d5e", "7f1c2d3e-4a5b-4c6d-8e7f-901a2b3c4d5e");

    TelemetryRecord first = validator.validate(envelope).submission().records().get(0);
    TelemetryRecord again = validator.validate(later).submission().records().get(0);

    assertThat(again.time()).isEqualTo(first.time());
    assertThat(again.identity()).isEqualTo(first.identity());
  }

  @Test
  void usesTheEnvelopeTimeWhenTheTypeHasNoRecordTime(@TempDir Path schemas) throws IOException {
    Path file = schemas.resolve("acme/probe/v1.schema.json");
    Files.createDirectories(file.getParent());
    Files.writeString(
        file, "{\"type\": \"object\", \"properties\": {\"seen\": {\"type\": \"string\"}}}");
    TelemetryValidator probes =
        TelemetryValidator.create(
            TelemetryTypeRegistry.builder().withoutBundledTypes().addDirectory(schemas).build());

    ValidationResult result =
        probes.validate(
            "{\"application\": \"acme\", \"telemetry_type\": \"probe\","
                + " \"time\": \"2024-05-17T03:12:45.5+02:00\", \"payload\": {\"seen\": \"x\"}}");

    assertThat(result.submission().records())
        .singleElement()
        .extracting(TelemetryRecord::time)
        .isEqualTo(Instant.parse("2024-05-17T01:12:45.5Z"));
  }

  @Test
  void refusesADateRecordTimeOutsideTheYears1To9999() {
    String profile =
        new String(
                SchemaFiles.example("sles/system_profile/examples/v1/valid/bare-metal.json"),
                java.nio.charset.StandardCharsets.UTF_8)
            .replace("2024-05-17", "0000-12-31");

    ValidationResult result =
        validator.validatePayload(
            new TelemetryTypeId("sles", "system_profile", 1), profile.getBytes());

    assertThat(result.violations()).extracting(Violation::pointer).contains("/collected_on");
    assertThat(result.isValid()).isFalse();
  }

  @Test
  void identityIgnoresKeyOrderAndTheOffsetARecordTimeIsWrittenIn() {
    String agent = "e93c2b22-5555-5555-8666-12372d2cb8ac";
    String original = host(agent, "2");
    String reordered =
        """
        {"time": "2021-11-23T10:04:02.462687463Z", "cpu_count": 4, "agent_id": "%s",
         "installation_id": "7826342e-8888-8888-8888-253f89af9127", "sles_version": "15-SP3",
         "socket_count": 8, "total_memory_mb": 4096, "cloud_provider": null}"""
            .formatted(agent);
    String later = original.replace("11:04:02.462687463", "11:04:02.462687464");

    String a = identity(original);
    assertThat(identity(reordered)).isEqualTo(a);
    assertThat(identity(later)).isNotEqualTo(a);
  }

  @Test
  void identityOfATypeWithoutIdentityFieldsIsTheWholeRecord() {
    TelemetryTypeId profile = new TelemetryTypeId("sles", "system_profile", 1);
    byte[] bareMetal = SchemaFiles.example("sles/system_profile/examples/v1/valid/bare-metal.json");
    String reformatted = new String(bareMetal).replace("\n", " ").replace("  ", " ");

    TelemetryRecord a = validator.validatePayload(profile, bareMetal).submission().records().get(0);
    TelemetryRecord b =
        validator.validatePayload(profile, reformatted.getBytes()).submission().records().get(0);
    assertThat(a.identity()).isEqualTo(b.identity());
  }

  @Test
  void validatesABarePayloadWithPointersIntoIt() {
    byte[] firstGeneration =
        SchemaFiles.example("trento/host_telemetry/examples/v1/valid/first-generation.json");
    ValidationResult valid = validator.validatePayload(HOSTS, firstGeneration);
    ValidationResult invalid =
        validator.validatePayload(
            HOSTS, ("[" + host("e93c2b22-5555-5555-8666-12372d2cb8ac", "1.5") + "]").getBytes());

    assertThat(valid.submission().records()).hasSize(2);
    assertThat(invalid.violations()).extracting(Violation::pointer).containsExactly("/0/cpu_count");
  }

  @Test
  void acceptsBothGenerationsOfTrentoHosts() {
    ValidationResult later =
        validator.validatePayload(
            HOSTS,
            SchemaFiles.example("trento/host_telemetry/examples/v1/valid/later-generation.json"));

    assertThat(later.submission().records())
        .extracting(TelemetryRecord::time)
        .containsOnly(Instant.parse("2022-07-27T10:00:00.123456Z"));
    assertThat(later.submission().records().get(1).json()).contains("\"cloud_provider\":null");
  }

  @Test
  void refusesABarePayloadOfAnUnknownType() {
    assertThatThrownBy(
            () ->
                validator.validatePayload(
                    new TelemetryTypeId("trento", "nothing", 1), "[]".getBytes()))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private String identity(String host) {
    return validator.validate(envelope("[" + host + "]")).submission().records().get(0).identity();
  }
}

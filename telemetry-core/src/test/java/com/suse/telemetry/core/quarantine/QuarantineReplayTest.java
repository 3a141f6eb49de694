package com.suse.telemetry.core.quarantine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.suse.telemetry.core.TelemetryRecord;
import com.suse.telemetry.core.TelemetryTypeId;
import com.suse.telemetry.core.TelemetryTypeRegistry;
import com.suse.telemetry.core.TelemetryValidator;
import com.suse.telemetry.core.ValidationResult;
import com.suse.telemetry.core.memory.InMemoryQuarantine;
import com.suse.telemetry.core.memory.InMemoryTelemetryStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class QuarantineReplayTest {

  private static final Path SCHEMAS = Path.of("..", "schemas").toAbsolutePath().normalize();
  private static final Instant RECEIVED = Instant.parse("2024-05-18T03:00:00Z");

  @TempDir Path extra;

  private final InMemoryQuarantine quarantine = InMemoryQuarantine.create();
  private final InMemoryTelemetryStore store = InMemoryTelemetryStore.create("influxdb");

  /** A profile as a newer SLES sends it: with a property v1 does not know. */
  private static String profileWithSecureBoot() throws IOException {
    String profile =
        Files.readString(SCHEMAS.resolve("sles/system_profile/examples/v1/valid/bare-metal.json"));
    return profile.replaceFirst("\\{", "{\"secure_boot\": true,");
  }

  /** Adds {@code sles/system_profile} v2: v1 and {@code secure_boot}. */
  private TelemetryTypeRegistry withVersion2() throws IOException {
    String v1 = Files.readString(SCHEMAS.resolve("sles/system_profile/v1.schema.json"));
    String v2 =
        v1.replace("/v1.schema.json", "/v2.schema.json")
            .replace(
                "\"properties\": {", "\"properties\": {\"secure_boot\": {\"type\": \"boolean\"},");
    Path file = extra.resolve("sles/system_profile/v2.schema.json");
    Files.createDirectories(file.getParent());
    Files.writeString(file, v2);
    return TelemetryTypeRegistry.builder().addDirectory(extra).build();
  }

  /** Quarantines {@code body} as the collector would on a 400. */
  private void reject(SubmissionRoute route, String body) {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    TelemetryValidator validator = TelemetryValidator.create(TelemetryTypeRegistry.bundled());
    ValidationResult result =
        route == SubmissionRoute.ENVELOPE
            ? validator.validate(bytes)
            : validator.validatePayload(QuarantineEntries.TRENTO_HOSTS, bytes);
    assertThat(result.isValid()).isFalse();
    quarantine.keep(
        List.of(
            QuarantineEntries.of(
                new RejectedSubmission(
                    route, "application/json", bytes, result.violations(), RECEIVED),
                1024)),
        1L << 20);
  }

  private static String envelope(String payload) {
    return "{\"application\":\"sles\",\"telemetry_type\":\"system_profile\","
        + "\"time\":\"2024-05-18T02:00:00Z\",\"payload\":"
        + payload
        + "}";
  }

  @Test
  void storesWhatANewVersionAcceptsOnceAndRemovesIt() throws IOException {
    reject(SubmissionRoute.ENVELOPE, envelope(profileWithSecureBoot()));
    QuarantineReplay replay = QuarantineReplay.create(quarantine, withVersion2(), store);
    QuarantineFilter profiles = QuarantineFilter.ofType("sles/system_profile");
    List<QuarantineReplay.Report> progress = new ArrayList<>();

    QuarantineReplay.Report asClaimed =
        replay.run(new QuarantineReplay.Options(profiles, 0, false), progress::add);
    QuarantineReplay.Report dryRun =
        replay.run(new QuarantineReplay.Options(profiles, 2, true), report -> {});
    assertThat(asClaimed.stillInvalid()).as("v1 still refuses it").isEqualTo(1);
    assertThat(dryRun.replayed()).isEqualTo(1);
    assertThat(dryRun.records()).isEqualTo(1);
    assertThat(store.records()).isEmpty();
    assertThat(quarantine.usage().entries()).isEqualTo(1);

    QuarantineReplay.Report asVersion2 =
        replay.run(new QuarantineReplay.Options(profiles, 2, false), progress::add);

    assertThat(asVersion2).isEqualTo(new QuarantineReplay.Report(1, 1, 1, 0, 1, 0));
    assertThat(progress).last().isEqualTo(asVersion2);
    assertThat(quarantine.usage().entries()).isZero();
    TelemetryRecord record = store.records().get(0);
    assertThat(record.type()).isEqualTo(new TelemetryTypeId("sles", "system_profile", 2));
    assertThat(record.receivedAt()).isEqualTo(RECEIVED);
    assertThat(record.json()).contains("\"secure_boot\":true");
    assertThat(store.lag("influxdb").pending()).as("forwarded like any other").isEqualTo(1);

    reject(SubmissionRoute.ENVELOPE, envelope(profileWithSecureBoot()));
    QuarantineReplay.Report again =
        replay.run(new QuarantineReplay.Options(profiles, 2, false), report -> {});
    assertThat(again.duplicates()).isEqualTo(1);
    assertThat(again.records()).isZero();
    assertThat(store.records()).hasSize(1);
  }

  @Test
  void replaysLegacyTrentoBodiesAsTheBareArraysTheyWere() throws IOException {
    String hosts =
        Files.readString(
            SCHEMAS.resolve("trento/host_telemetry/examples/v1/valid/first-generation.json"));
    String refused = hosts.replaceFirst("\"cpu_count\": *[0-9]+", "\"cpu_count\": -1");
    reject(SubmissionRoute.LEGACY_TRENTO_HOSTS, refused);

    QuarantineReplay replay =
        QuarantineReplay.create(quarantine, TelemetryTypeRegistry.bundled(), store);
    QuarantineReplay.Report report =
        replay.run(new QuarantineReplay.Options(QuarantineFilter.all(), 0, false), r -> {});

    assertThat(report.stillInvalid()).isEqualTo(1);
    assertThat(quarantine.page(QuarantineFilter.all(), 0, 10))
        .singleElement()
        .satisfies(entry -> assertThat(entry.claimedType()).isEqualTo("trento/host_telemetry v1"));
    assertThatThrownBy(
            () ->
                replay.run(
                    new QuarantineReplay.Options(
                        QuarantineFilter.ofType("trento/host_telemetry"), 7, false),
                    r -> {}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("trento/host_telemetry v7");
  }
}

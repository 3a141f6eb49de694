package com.suse.telemetry.storage.influx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.suse.telemetry.core.Submission;
import com.suse.telemetry.core.TelemetryRecord;
import com.suse.telemetry.core.TelemetryTypeId;
import com.suse.telemetry.core.TelemetryTypeRegistry;
import com.suse.telemetry.core.settings.SettingValues;
import com.suse.telemetry.core.spi.SinkUnavailableException;
import com.suse.telemetry.core.spi.TelemetrySink;
import com.suse.telemetry.testkit.TestInflux;
import com.suse.telemetry.testkit.TestTelemetry;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Writes through the real client to a real server and reads the points back. */
class InfluxTelemetrySinkTest {

  private static final TelemetryTypeRegistry REGISTRY = TelemetryTypeRegistry.bundled();

  private static InfluxSettings settings(TestInflux.Server server, int batchSize) {
    return new InfluxSettings(
        server.url(),
        server.token(),
        server.org(),
        server.bucket(),
        batchSize,
        SettingValues.defaults().get(InfluxSettings.TIMEOUT));
  }

  /** Hosts of an installation of their own, so that runs sharing a server do not mix. */
  private static Submission hostsOfANewInstallation(int count, String installation) {
    String hosts =
        TestTelemetry.hostsJson(count, installation.hashCode())
            .replaceAll(
                "\"installation_id\":\"[^\"]+\"", "\"installation_id\":\"" + installation + "\"");
    return TestTelemetry.validator()
        .validatePayload(TestTelemetry.TRENTO_HOSTS, hosts.getBytes(StandardCharsets.UTF_8))
        .submission();
  }

  @Test
  void writesEachRecordAsAPointWithTheOriginalCollectorsNamesTagsAndFields() {
    TestInflux.Server server = TestInflux.server();
    String installation = UUID.randomUUID().toString();
    Submission hosts = hostsOfANewInstallation(30, installation);

    try (InfluxTelemetrySink sink = InfluxTelemetrySink.create(REGISTRY, settings(server, 7))) {
      assertThat(sink.write(hosts.records())).isEmpty();
      assertThat(sink.written()).isEqualTo(30);
    }

    List<TestInflux.StoredValue> stored =
        server.read("host_telemetry").stream()
            .filter(value -> installation.equals(value.tags().get("installation_id")))
            .toList();
    for (TelemetryRecord record : hosts.records()) {
      Map<String, Object> host = parse(record.json());
      List<TestInflux.StoredValue> point =
          stored.stream()
              .filter(value -> value.tags().get("agent_id").equals(host.get("agent_id")))
              .toList();
      assertThat(point)
          .extracting(TestInflux.StoredValue::tags)
          .allSatisfy(tags -> assertThat(tags).containsOnlyKeys("installation_id", "agent_id"));
      assertThat(point)
          .extracting(TestInflux.StoredValue::epochMillis)
          .containsOnly(record.time().toEpochMilli());
      assertThat(value(point, "cpu_count"))
          .isEqualTo(((Number) host.get("cpu_count")).doubleValue());
      assertThat(value(point, "socket_count"))
          .isEqualTo(((Number) host.get("socket_count")).doubleValue());
      assertThat(value(point, "total_memory_mb"))
          .isEqualTo(((Number) host.get("total_memory_mb")).doubleValue());
      List<String> series = point.stream().map(TestInflux.StoredValue::series).toList();
      assertThat(series)
          .contains("host_telemetry_sles_version")
          .doesNotContain("host_telemetry_time", "host_telemetry_installation_id");
      assertThat(series.contains("host_telemetry_cloud_provider"))
          .isEqualTo(host.get("cloud_provider") != null);
      assertThat(series.contains("host_telemetry_installation_flavor"))
          .isEqualTo(host.containsKey("installation_flavor"));
    }
  }

  @Test
  void rejectsRecordsOfUnknownTypes() {
    TestInflux.Server server = TestInflux.server();
    TelemetryRecord unknown =
        new TelemetryRecord(
            new TelemetryTypeId("acme", "gone", 1),
            Instant.now(),
            Instant.now(),
            "0".repeat(32),
            "{}");

    try (InfluxTelemetrySink sink = InfluxTelemetrySink.create(REGISTRY, settings(server, 10))) {
      List<TelemetrySink.Rejection> rejections = sink.write(List.of(unknown));

      assertThat(rejections)
          .singleElement()
          .satisfies(r -> assertThat(r.reason()).isEqualTo("unknown telemetry type acme/gone v1"));
    }
  }

  @Test
  void refusesAHostWhoseCountInfluxDbCannotHoldAndWritesTheOthers() {
    TestInflux.Server server = TestInflux.server();
    String installation = UUID.randomUUID().toString();
    Submission hosts =
        TestTelemetry.validator()
            .validatePayload(
                TestTelemetry.TRENTO_HOSTS,
                TestTelemetry.hostsJson(3, installation.hashCode())
                    .replaceAll(
                        "\"installation_id\":\"[^\"]+\"",
                        "\"installation_id\":\"" + installation + "\"")
                    .replaceFirst("\"cpu_count\":[0-9]+", "\"cpu_count\":18446744073709551615")
                    .getBytes(StandardCharsets.UTF_8))
            .submission();
    assertThat(hosts.records()).as("the schema accepts it").hasSize(3);

    try (InfluxTelemetrySink sink = InfluxTelemetrySink.create(REGISTRY, settings(server, 10))) {
      assertThat(sink.write(hosts.records()))
          .singleElement()
          .satisfies(
              rejection ->
                  assertThat(rejection.reason())
                      .isEqualTo(
                          "field 'cpu_count': 18446744073709551615 is outside InfluxDB's integer"
                              + " range (64 bits, signed)"));
      assertThat(sink.written()).isEqualTo(2);
      assertThat(sink.rejected()).isEqualTo(1);
    }
  }

  @Test
  void failsAsUnavailableWhenTheServerIsDownAndWritesOnceItIsBack() {
    TestInflux.DedicatedVictoriaMetrics server = TestInflux.startVictoriaMetrics();
    try (server;
        InfluxTelemetrySink sink = InfluxTelemetrySink.create(REGISTRY, settings(server, 100))) {
      Submission hosts = hostsOfANewInstallation(5, UUID.randomUUID().toString());
      server.stop();

      assertThatThrownBy(() -> sink.write(hosts.records()))
          .isInstanceOf(SinkUnavailableException.class)
          .hasMessageContaining("no answer");

      server.start();
      assertThat(sink.write(hosts.records())).isEmpty();
      assertThat(
              server.read("host_telemetry").stream().map(v -> v.tags().get("agent_id")).distinct())
          .hasSize(5);
    }
  }

  private static Map<String, Object> parse(String json) {
    return tools.jackson.databind.json.JsonMapper.builder()
        .build()
        .readValue(json, new tools.jackson.core.type.TypeReference<Map<String, Object>>() {});
  }

  private static double value(List<TestInflux.StoredValue> point, String field) {
    return point.stream()
        .filter(v -> v.series().equals("host_telemetry_" + field))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + field))
        .value();
  }
}

package com.suse.telemetry.storage.influx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.suse.telemetry.core.InvalidTelemetryTypeException;
import com.suse.telemetry.core.TelemetryType;
import com.suse.telemetry.core.TelemetryTypeId;
import com.suse.telemetry.core.TelemetryTypeRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code x-telemetry.influxdb} section, read and checked when the registry is built. */
class InfluxMappingTest {

  private static final String WIDGET_SCHEMA =
      """
      {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "type": "array",
        "items": {
          "type": "object",
          "properties": {
            "widget_id": {"type": "string"},
            "count": {"type": "integer"},
            "ratio": {"type": ["number", "null"]},
            "enabled": {"type": "boolean"},
            "labels": {"type": "array"},
            "seen_at": {"type": "string"}
          }
        },
        "x-telemetry": %s
      }""";

  @TempDir Path dir;

  private Path widget(String metadata) throws IOException {
    Path file = dir.resolve("acme/widget/v1.schema.json");
    Files.createDirectories(file.getParent());
    return Files.writeString(file, WIDGET_SCHEMA.formatted(metadata));
  }

  private TelemetryTypeRegistry.Builder registry() {
    return TelemetryTypeRegistry.builder()
        .sinkMetadata(new InfluxSinkProvider().typeMetadata())
        .addDirectory(dir);
  }

  private TelemetryType widgetType() {
    return registry().build().find(new TelemetryTypeId("acme", "widget", 1)).orElseThrow();
  }

  private static InfluxMapping mapping(TelemetryType type) {
    return type.sinkMetadata(InfluxTelemetrySink.NAME, InfluxMapping.class).orElseThrow();
  }

  @Test
  void keepsTheOriginalCollectorsMappingForTrentoHosts() throws IOException {
    widget("{}");
    TelemetryType hosts =
        registry().build().find(new TelemetryTypeId("trento", "host_telemetry", 1)).orElseThrow();

    assertThat(mapping(hosts))
        .isEqualTo(
            new InfluxMapping(
                "host_telemetry",
                List.of("installation_id", "agent_id"),
                List.of(
                    "installation_flavor",
                    "sles_version",
                    "cpu_count",
                    "socket_count",
                    "total_memory_mb",
                    "cloud_provider",
                    "agent_installation_source")));
  }

  @Test
  void defaultsToTheTypesNameAndEverySingleValuedPropertyButTagsAndTheRecordTime()
      throws IOException {
    widget("{}");
    assertThat(mapping(widgetType()))
        .isEqualTo(
            new InfluxMapping(
                "widget", List.of(), List.of("widget_id", "count", "ratio", "enabled", "seen_at")));

    widget("{\"record_time\": \"seen_at\", \"influxdb\": {\"tags\": [\"widget_id\"]}}");
    assertThat(mapping(widgetType()).fields()).containsExactly("count", "ratio", "enabled");
  }

  @Test
  void failsNamingTheFileWhenTheSectionIsWrong() throws IOException {
    Path file = widget("{\"influxdb\": {\"tags\": [\"labels\"]}}");
    assertThatThrownBy(() -> registry().build())
        .isInstanceOf(InvalidTelemetryTypeException.class)
        .hasMessage(
            file
                + ": x-telemetry.influxdb: tags names 'labels', which is not a single string,"
                + " number or boolean");

    widget("{\"influxdb\": {\"fields\": [\"serial\"]}}");
    assertThatThrownBy(() -> registry().build()).hasMessageContaining("fields names 'serial'");
    widget("{\"influxdb\": {\"measurment\": \"w\"}}");
    assertThatThrownBy(() -> registry().build()).hasMessageContaining("unknown key 'measurment'");
    widget("{\"influxdb\": {\"tags\": [\"count\"], \"fields\": [\"count\"]}}");
    assertThatThrownBy(() -> registry().build())
        .hasMessageContaining("'count' cannot be both a tag and a field");
    widget("{\"influxdb\": {\"measurement\": \" \"}}");
    assertThatThrownBy(() -> registry().build()).hasMessageContaining("measurement must be");
  }

  @Test
  void theSinkChecksTheSectionItselfWhenTheRegistryWasBuiltWithoutIt() throws IOException {
    Path file = widget("{\"influxdb\": {\"tags\": [\"labels\"]}}");
    TelemetryTypeRegistry unchecked = TelemetryTypeRegistry.builder().addDirectory(dir).build();

    assertThatThrownBy(
            () ->
                InfluxTelemetrySink.create(
                    unchecked,
                    new InfluxSettings(
                        "http://127.0.0.1:9", "", "org", "bucket", 10, Duration.ofSeconds(1))))
        .isInstanceOf(InvalidTelemetryTypeException.class)
        .hasMessageStartingWith(file + ": x-telemetry.influxdb: tags names 'labels'");
  }
}

package com.suse.telemetry.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TelemetryTypeRegistryTest {

  private static final TelemetryTypeId HOSTS = new TelemetryTypeId("trento", "host_telemetry", 1);

  @TempDir Path dir;

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
          },
          "required": ["widget_id"]
        },
        "x-telemetry": %s
      }""";

  private Path write(String relative, String content) throws IOException {
    Path file = dir.resolve(relative);
    Files.createDirectories(file.getParent());
    return Files.writeString(file, content);
  }

  private TelemetryTypeRegistry buildFromDir() {
    return TelemetryTypeRegistry.builder().withoutBundledTypes().addDirectory(dir).build();
  }

  @Test
  void bundlesTrentoHostTelemetryWithTheOriginalCollectorsMapping() {
    TelemetryType hosts = TelemetryTypeRegistry.bundled().find(HOSTS).orElseThrow();

    assertThat(hosts.recordTimeField()).contains("time");
    assertThat(hosts.identityFields()).containsExactly("installation_id", "agent_id", "time");
    assertThat(hosts.influxMapping())
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
    assertThat(hosts.properties())
        .containsEntry("cpu_count", PropertyType.INTEGER)
        .containsEntry("cloud_provider", PropertyType.STRING)
        .containsEntry("installation_flavor", PropertyType.STRING);
    assertThat(hosts.schemaJson()).contains("\"x-telemetry\"");
    assertThat(hosts.source()).endsWith("trento/host_telemetry/v1.schema.json");
  }

  @Test
  void listsEveryBundledTypeInOrder() {
    TelemetryTypeRegistry registry = TelemetryTypeRegistry.bundled();

    assertThat(registry.types())
        .extracting(TelemetryType::id)
        .containsExactly(new TelemetryTypeId("sles", "system_profile", 1), HOSTS);
    assertThat(registry.applications()).containsExactly("sles", "trento");
    assertThat(registry.schemaVersions("trento", "host_telemetry")).containsExactly(1);
    assertThat(registry.find(new TelemetryTypeId("trento", "host_telemetry", 2))).isEmpty();
  }

  @Test
  void addsTypesFromADirectoryWithDefaultsForOmittedMetadata() throws IOException {
    write("acme/widget/v3.schema.json", WIDGET_SCHEMA.formatted("{}"));

    TelemetryTypeRegistry registry = TelemetryTypeRegistry.builder().addDirectory(dir).build();

    TelemetryType widget = registry.find(new TelemetryTypeId("acme", "widget", 3)).orElseThrow();
    assertThat(registry.find(HOSTS)).isPresent();
    assertThat(widget.recordTimeField()).isEmpty();
    assertThat(widget.identityFields()).isEmpty();
    assertThat(widget.properties())
        .containsExactly(
            Map.entry("widget_id", PropertyType.STRING), Map.entry("count", PropertyType.INTEGER),
            Map.entry("ratio", PropertyType.NUMBER), Map.entry("enabled", PropertyType.BOOLEAN),
            Map.entry("labels", PropertyType.JSON), Map.entry("seen_at", PropertyType.STRING));
    assertThat(widget.influxMapping())
        .isEqualTo(
            new InfluxMapping(
                "widget", List.of(), List.of("widget_id", "count", "ratio", "enabled", "seen_at")));
  }

  @Test
  void defaultFieldsLeaveOutTagsAndTheRecordTime() throws IOException {
    write(
        "acme/widget/v1.schema.json",
        WIDGET_SCHEMA.formatted(
            "{\"record_time\": \"seen_at\", \"influxdb\": {\"tags\": [\"widget_id\"]}}"));

    TelemetryType widget = buildFromDir().types().get(0);

    assertThat(widget.influxMapping().fields()).containsExactly("count", "ratio", "enabled");
  }

  @Test
  void failsNamingTheFileWhenMetadataNamesAMissingProperty() throws IOException {
    Path file =
        write(
            "acme/widget/v1.schema.json",
            WIDGET_SCHEMA.formatted("{\"identity\": [\"widget_id\", \"serial\"]}"));

    assertThatThrownBy(this::buildFromDir)
        .isInstanceOf(InvalidTelemetryTypeException.class)
        .hasMessageStartingWith(file.toString())
        .hasMessageContaining("x-telemetry.identity names 'serial'");
  }

  @Test
  void failsNamingTheFileWhenAnIdentityHasNoRecordTime() throws IOException {
    Path file =
        write(
            "acme/widget/v1.schema.json",
            WIDGET_SCHEMA.formatted("{\"identity\": [\"widget_id\"]}"));

    assertThatThrownBy(this::buildFromDir)
        .isInstanceOf(InvalidTelemetryTypeException.class)
        .hasMessageStartingWith(file.toString())
        .hasMessageContaining("x-telemetry.identity needs the record time")
        .hasMessageContaining("declare x-telemetry.record_time");
  }

  @Test
  void failsNamingTheFileWhenAnIdentityLeavesOutTheRecordTime() throws IOException {
    Path file =
        write(
            "acme/widget/v1.schema.json",
            WIDGET_SCHEMA.formatted(
                "{\"record_time\": \"seen_at\", \"identity\": [\"widget_id\"]}"));

    assertThatThrownBy(this::buildFromDir)
        .isInstanceOf(InvalidTelemetryTypeException.class)
        .hasMessageStartingWith(file.toString())
        .hasMessageContaining("x-telemetry.identity must list the record time 'seen_at'");
  }

  @Test
  void takesTheCollectionDayAsTheRecordTimeOfASystemProfile() {
    TelemetryType profile =
        TelemetryTypeRegistry.bundled()
            .find(new TelemetryTypeId("sles", "system_profile", 1))
            .orElseThrow();

    assertThat(profile.recordTimeField()).contains("collected_on");
    assertThat(profile.identityFields()).containsExactly("system_id", "collected_on");
  }

  @Test
  void failsWhenTheRecordTimeIsNotAStringProperty() throws IOException {
    write("acme/widget/v1.schema.json", WIDGET_SCHEMA.formatted("{\"record_time\": \"count\"}"));

    assertThatThrownBy(this::buildFromDir).hasMessageContaining("x-telemetry.record_time");
  }

  @Test
  void failsWhenATagIsNotASingleValue() throws IOException {
    write(
        "acme/widget/v1.schema.json",
        WIDGET_SCHEMA.formatted("{\"influxdb\": {\"tags\": [\"labels\"]}}"));

    assertThatThrownBy(this::buildFromDir).hasMessageContaining("not a single string");
  }

  @Test
  void failsOnAMisspeltMetadataKey() throws IOException {
    write("acme/widget/v1.schema.json", WIDGET_SCHEMA.formatted("{\"identiy\": []}"));

    assertThatThrownBy(this::buildFromDir).hasMessageContaining("unknown key 'identiy'");
  }

  @Test
  void failsNamingTheFileWhenTheSchemaIsNotJson() throws IOException {
    Path file = write("acme/widget/v1.schema.json", "{\"type\": ");

    assertThatThrownBy(this::buildFromDir)
        .isInstanceOf(InvalidTelemetryTypeException.class)
        .hasMessageStartingWith(file + ": not valid JSON");
  }

  @Test
  void failsNamingTheFileWhenTheSchemaBreaksTheMetaSchema() throws IOException {
    Path file =
        write(
            "acme/widget/v1.schema.json",
            "{\"type\": \"object\", \"properties\": {\"a\": {\"type\": \"strin\"}}}");

    assertThatThrownBy(this::buildFromDir)
        .hasMessageStartingWith(file + ": not a valid JSON Schema")
        .hasMessageContaining("/properties/a/type");
  }

  @Test
  void failsOnAMisspeltKeyword() throws IOException {
    write(
        "acme/widget/v1.schema.json",
        "{\"type\": \"object\", \"properties\": {\"a\": {\"type\": \"integer\", \"minimun\": 0}}}");

    assertThatThrownBy(this::buildFromDir).hasMessageContaining("unknown keyword 'minimun'");
  }

  @Test
  void refusesToFetchARemoteReference() throws IOException {
    write(
        "acme/widget/v1.schema.json",
        "{\"type\": \"object\", \"properties\": {\"a\":"
            + " {\"$ref\": \"http://127.0.0.1:9/remote.schema.json\"}}}");

    assertThatThrownBy(this::buildFromDir)
        .hasMessageContaining("cannot compile the schema")
        .hasMessageContaining("not allowed to be loaded");
  }

  @Test
  void failsOnAFileOutsideTheLayout() throws IOException {
    write("acme/widget/version1.schema.json", WIDGET_SCHEMA.formatted("{}"));

    assertThatThrownBy(this::buildFromDir)
        .hasMessageContaining("expected <application>/<telemetry_type>/v<N>.schema.json");
  }

  @Test
  void failsWhenTheIdDoesNotMatchTheFilesPlace() throws IOException {
    write(
        "acme/widget/v2.schema.json",
        "{\"$id\": \"https://telemetry.suse.com/schemas/acme/"
            + "widget/v1.schema.json\", \"type\": \"object\", \"properties\": {\"a\": {}}}");

    assertThatThrownBy(this::buildFromDir).hasMessageContaining("$id must be");
  }

  @Test
  void failsWhenADirectoryRedefinesABundledType() throws IOException {
    write("trento/host_telemetry/v1.schema.json", WIDGET_SCHEMA.formatted("{}"));

    assertThatThrownBy(() -> TelemetryTypeRegistry.builder().addDirectory(dir).build())
        .hasMessageContaining("defines trento/host_telemetry v1, already defined by");
  }

  @Test
  void failsOnAMissingDirectory() {
    assertThatThrownBy(
            () -> TelemetryTypeRegistry.builder().addDirectory(dir.resolve("nowhere")).build())
        .hasMessageContaining("not a directory");
  }

  @Test
  void ignoresExamplesAndOtherFiles() throws IOException {
    write("acme/widget/v1.schema.json", WIDGET_SCHEMA.formatted("{}"));
    write("acme/widget/examples/v1/valid/one.json", "[{\"widget_id\": \"w\"}]");
    write("README.md", "# widgets");

    assertThat(buildFromDir().types()).hasSize(1);
  }
}

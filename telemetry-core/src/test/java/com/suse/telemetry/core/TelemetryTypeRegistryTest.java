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
    assertThat(hosts.sinkSections()).containsExactly("influxdb");
    assertThat(hosts.sinkSection("influxdb").orElseThrow())
        .containsEntry("measurement", "host_telemetry")
        .containsEntry("tags", List.of("installation_id", "agent_id"));
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
    assertThat(widget.sinkSections()).isEmpty();
    assertThat(widget.sinkSection("archive")).isEmpty();
  }

  /** A sink's metadata as a test sink reads it: its section's "prefix", "none" by default. */
  private static final SinkMetadata<String> ARCHIVE_PREFIX =
      new SinkMetadata<>() {
        @Override
        public String sink() {
          return "archive";
        }

        @Override
        public Class<String> type() {
          return String.class;
        }

        @Override
        public String read(TelemetryType type, Map<String, Object> section) {
          Object prefix = section.getOrDefault("prefix", "none");
          boolean property = prefix instanceof String text && type.properties().containsKey(text);
          if (!property && !"none".equals(prefix)) {
            throw new IllegalArgumentException("prefix must name a property, was " + prefix);
          }
          return type.id().telemetryType() + ":" + prefix;
        }
      };

  @Test
  void keepsEachSinksSectionAsPlainValuesAndReadsItWithTheSinksMetadata() throws IOException {
    write(
        "acme/widget/v1.schema.json",
        WIDGET_SCHEMA.formatted(
            """
            {"archive": {"prefix": "widget_id", "depth": 3, "ratio": 0.5, "big": 18446744073709551615,
                         "flags": [true, null], "nested": {"a": "b"}},
             "other-sink": {}}"""));

    TelemetryType unread = buildFromDir().types().get(0);
    TelemetryType read =
        TelemetryTypeRegistry.builder()
            .withoutBundledTypes()
            .addDirectory(dir)
            .sinkMetadata(ARCHIVE_PREFIX)
            .build()
            .types()
            .get(0);

    assertThat(unread.sinkSections()).containsExactly("archive", "other-sink");
    Map<String, Object> section = unread.sinkSection("archive").orElseThrow();
    assertThat(section)
        .containsEntry("prefix", "widget_id")
        .containsEntry("depth", 3L)
        .containsEntry("ratio", new java.math.BigDecimal("0.5"))
        .containsEntry("big", new java.math.BigInteger("18446744073709551615"))
        .containsEntry("nested", Map.of("a", "b"));
    assertThat(section.get("flags")).isEqualTo(java.util.Arrays.asList(true, null));
    assertThat(unread.sinkMetadata("archive", String.class)).isEmpty();
    assertThat(read.sinkMetadata("archive", String.class)).contains("widget:widget_id");
  }

  @Test
  void readsDefaultsForATypeWithoutTheSinksSection() {
    TelemetryTypeRegistry registry =
        TelemetryTypeRegistry.builder().sinkMetadata(ARCHIVE_PREFIX).build();

    assertThat(registry.find(HOSTS).orElseThrow().sinkMetadata("archive", String.class))
        .contains("host_telemetry:none");
  }

  @Test
  void failsNamingTheFileAndTheSinkWhenTheSinksMetadataRefusesItsSection() throws IOException {
    Path file =
        write(
            "acme/widget/v1.schema.json",
            WIDGET_SCHEMA.formatted("{\"archive\": {\"prefix\": \"serial\"}}"));

    assertThatThrownBy(
            () ->
                TelemetryTypeRegistry.builder()
                    .withoutBundledTypes()
                    .addDirectory(dir)
                    .sinkMetadata(ARCHIVE_PREFIX)
                    .build())
        .isInstanceOf(InvalidTelemetryTypeException.class)
        .hasMessage(file + ": x-telemetry.archive: prefix must name a property, was serial");
  }

  @Test
  void refusesTwoReadersForOneSink() {
    TelemetryTypeRegistry.Builder builder =
        TelemetryTypeRegistry.builder().sinkMetadata(ARCHIVE_PREFIX);

    assertThatThrownBy(() -> builder.sinkMetadata(ARCHIVE_PREFIX))
        .hasMessageContaining("'archive' given twice");
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
  void failsOnAMisspeltMetadataKey() throws IOException {
    write("acme/widget/v1.schema.json", WIDGET_SCHEMA.formatted("{\"identiy\": []}"));

    assertThatThrownBy(this::buildFromDir).hasMessageContaining("unknown key 'identiy'");
  }

  @Test
  void failsOnASinkSectionThatIsNoObject() throws IOException {
    write("acme/widget/v1.schema.json", WIDGET_SCHEMA.formatted("{\"archive\": \"yes\"}"));

    assertThatThrownBy(this::buildFromDir)
        .hasMessageContaining("unknown key 'archive'")
        .hasMessageContaining("a secondary sink's name with an object of its own");
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

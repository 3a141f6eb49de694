package com.suse.telemetry.storage.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import com.suse.telemetry.core.TelemetryTypeId;
import com.suse.telemetry.core.TelemetryTypeRegistry;
import com.suse.telemetry.core.TelemetryValidator;
import com.suse.telemetry.testkit.TestTelemetry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TypedViewsTest {

  private static MigratedDatabase database;

  @TempDir Path schemas;

  @BeforeAll
  static void createDatabase() {
    database = new MigratedDatabase();
  }

  @AfterAll
  static void close() {
    database.close();
  }

  @BeforeEach
  void empty() {
    database.truncate();
  }

  private List<Map<String, Object>> query(String sql) {
    return database.jdbi.withHandle(handle -> handle.createQuery(sql).mapToMap().list());
  }

  private Map<String, String> columnTypes(String view) {
    return database.jdbi.withHandle(
        handle ->
            handle
                .createQuery(
                    """
            SELECT column_name, data_type FROM information_schema.columns
            WHERE table_name = :view ORDER BY ordinal_position""")
                .bind("view", view)
                .reduceRows(
                    new java.util.LinkedHashMap<String, String>(),
                    (map, row) -> {
                      map.put(
                          row.getColumn("column_name", String.class),
                          row.getColumn("data_type", String.class));
                      return map;
                    }));
  }

  @Test
  void createsATypedViewPerTypeVersion() {
    List<String> views =
        TypedViews.createOrReplace(database.dataSource, TelemetryTypeRegistry.bundled());

    assertThat(views).containsExactly("sles_system_profile_v1", "trento_host_telemetry_v1");
    assertThat(columnTypes("trento_host_telemetry_v1"))
        .containsExactly(
            Map.entry("id", "bigint"),
            Map.entry("time", "timestamp with time zone"),
            Map.entry("received_at", "timestamp with time zone"),
            Map.entry("installation_id", "text"),
            Map.entry("agent_id", "text"),
            Map.entry("sles_version", "text"),
            Map.entry("cpu_count", "bigint"),
            Map.entry("socket_count", "bigint"),
            Map.entry("total_memory_mb", "bigint"),
            Map.entry("cloud_provider", "text"),
            Map.entry("payload_time", "text"),
            Map.entry("installation_flavor", "text"),
            Map.entry("agent_installation_source", "text"));
    assertThat(columnTypes("sles_system_profile_v1"))
        .containsEntry("fips_enabled", "boolean")
        .containsEntry("uptime_days", "double precision")
        .containsEntry("installed_modules", "jsonb");
  }

  @Test
  void viewsShowStoredRecordsWithTypedValues() {
    TypedViews.createOrReplace(database.dataSource, TelemetryTypeRegistry.bundled());
    PostgresTelemetryStore store = PostgresTelemetryStore.create(database.dataSource);
    store.store(TestTelemetry.hosts(3, 1));
    byte[] profile =
        """
        {"system_id": "3f2b8c1e-9d4a-4f6b-a1e2-7c8d9e0f1a2b", "product": "SLES",
         "product_version": "15.6", "arch": "x86_64", "cpu_count": 32, "memory_mb": 262144,
         "hypervisor": null, "cloud_provider": null, "fips_enabled": true, "uptime_days": 41.5,
         "installed_modules": ["sle-module-basesystem"], "collected_on": "2024-05-17"}"""
            .getBytes(StandardCharsets.UTF_8);
    store.store(
        TestTelemetry.validator()
            .validatePayload(new TelemetryTypeId("sles", "system_profile", 1), profile)
            .submission());

    assertThat(query("SELECT count(*) AS n FROM trento_host_telemetry_v1 WHERE cpu_count > 0"))
        .singleElement()
        .extracting(row -> row.get("n"))
        .isEqualTo(3L);
    Map<String, Object> row = query("SELECT * FROM sles_system_profile_v1").get(0);
    assertThat(row)
        .containsEntry("cpu_count", 32L)
        .containsEntry("fips_enabled", true)
        .containsEntry("uptime_days", 41.5)
        .containsEntry("hypervisor", null)
        .containsEntry("product", "SLES");
  }

  @Test
  void namesFromSchemaFilesCannotInjectSql() throws IOException {
    Path file = schemas.resolve("acme/widget/v1.schema.json");
    Files.createDirectories(file.getParent());
    Files.writeString(
        file,
        """
        {"type": "object", "properties": {
          "a'; DROP TABLE telemetry; --": {"type": "string"},
          "b\\\\'); DROP TABLE envelope; --": {"type": "integer"},
          "Quoted \\"Name\\"": {"type": "boolean"},
          "Time": {"type": "number"},
          "2nd": {"type": "object"},
          "%s": {"type": "string"}
        }}"""
            .formatted("x".repeat(80)));
    TelemetryTypeRegistry registry =
        TelemetryTypeRegistry.builder().withoutBundledTypes().addDirectory(schemas).build();
    TelemetryValidator validator = TelemetryValidator.create(registry);
    PostgresTelemetryStore.create(database.dataSource)
        .store(
            validator
                .validatePayload(
                    new TelemetryTypeId("acme", "widget", 1),
                    ("{\"a'; DROP TABLE telemetry; --\": \"v\","
                            + " \"b\\\\'); DROP TABLE envelope; --\": 7, \"Time\": 1.5}")
                        .getBytes(StandardCharsets.UTF_8))
                .submission());

    TypedViews.createOrReplace(database.dataSource, registry);

    assertThat(columnTypes("acme_widget_v1").keySet())
        .containsExactly(
            "id",
            "time",
            "received_at",
            "a___drop_table_telemetry____",
            "b_____drop_table_envelope____",
            "quoted__name_",
            "payload_time",
            "_2nd",
            "x".repeat(54)
                + "_"
                + columnTypes("acme_widget_v1").keySet().stream()
                    .filter(c -> c.startsWith("xxx"))
                    .findFirst()
                    .orElseThrow()
                    .substring(55));
    Map<String, Object> row = query("SELECT * FROM acme_widget_v1").get(0);
    assertThat(row)
        .containsEntry("a___drop_table_telemetry____", "v")
        .containsEntry("b_____drop_table_envelope____", 7L)
        .containsEntry("payload_time", 1.5);
    assertThat(query("SELECT count(*) AS n FROM envelope")).isNotEmpty();
  }

  @Test
  void replacesAViewWhoseColumnsChanged() throws IOException {
    Path file = schemas.resolve("acme/widget/v1.schema.json");
    Files.createDirectories(file.getParent());
    Files.writeString(file, "{\"type\": \"object\", \"properties\": {\"a\": {}, \"b\": {}}}");
    TypedViews.createOrReplace(
        database.dataSource,
        TelemetryTypeRegistry.builder().withoutBundledTypes().addDirectory(schemas).build());
    Files.writeString(file, "{\"type\": \"object\", \"properties\": {\"b\": {}, \"c\": {}}}");

    List<String> views =
        TypedViews.createOrReplace(
            database.dataSource,
            TelemetryTypeRegistry.builder().withoutBundledTypes().addDirectory(schemas).build());

    assertThat(views).containsExactly("acme_widget_v1");
    assertThat(columnTypes("acme_widget_v1").keySet())
        .containsExactly("id", "time", "received_at", "b", "c");
  }

  @Test
  void sanitisesNames() {
    assertThat(TypedViews.sanitize("Cpu Count")).isEqualTo("cpu_count");
    assertThat(TypedViews.sanitize("9lives")).isEqualTo("_9lives");
    assertThat(TypedViews.sanitize("")).isEqualTo("_");
    assertThat(TypedViews.quoteLiteral("it's \\ here")).isEqualTo("E'it''s \\\\ here'");
  }
}

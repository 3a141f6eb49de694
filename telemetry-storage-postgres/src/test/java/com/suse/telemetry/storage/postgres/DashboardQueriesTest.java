package com.suse.telemetry.storage.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import com.suse.telemetry.core.TelemetryTypeId;
import com.suse.telemetry.core.TelemetryValidator;
import com.suse.telemetry.testkit.TestTelemetry;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The original collector's Grafana dashboards query the telemetry table directly; their queries
 * must keep working, unchanged, on what this store writes.
 */
class DashboardQueriesTest {

  private static final TelemetryTypeId HOSTS = TestTelemetry.TRENTO_HOSTS;
  private static MigratedDatabase database;

  @BeforeAll
  static void storeTrentoHosts() {
    database = new MigratedDatabase();
    PostgresTelemetryStore store = PostgresTelemetryStore.create(database.dataSource);
    TelemetryValidator validator = TestTelemetry.validator();
    // Day 1: three agents of a Premium installation; one on Azure, two on AWS.
    // Day 2: two of them again (Trento re-sends daily), plus one Community agent with no cloud.
    String premium = "11111111-1111-4111-8111-111111111111";
    String community = "22222222-2222-4222-8222-222222222222";
    String hosts =
        "["
            + host(
                premium,
                "aaaaaaaa-0000-4000-8000-000000000001",
                "azure",
                "Premium",
                "2024-03-01T10:00:00.123456Z")
            + ","
            + host(
                premium,
                "aaaaaaaa-0000-4000-8000-000000000002",
                "aws",
                "Premium",
                "2024-03-01T11:00:00Z")
            + ","
            + host(
                premium,
                "aaaaaaaa-0000-4000-8000-000000000003",
                "aws",
                "Premium",
                "2024-03-01T23:59:59.999999999+00:00")
            + ","
            + host(
                premium,
                "aaaaaaaa-0000-4000-8000-000000000001",
                "azure",
                "Premium",
                "2024-03-02T10:00:00.123456Z")
            + ","
            + host(
                premium,
                "aaaaaaaa-0000-4000-8000-000000000002",
                "aws",
                "Premium",
                "2024-03-02T11:00:00Z")
            + ","
            + host(
                community,
                "bbbbbbbb-0000-4000-8000-000000000001",
                null,
                "Community",
                "2024-03-02T12:00:00+01:00")
            + "]";
    store.store(
        validator.validatePayload(HOSTS, hosts.getBytes(StandardCharsets.UTF_8)).submission());
  }

  @AfterAll
  static void close() {
    database.close();
  }

  private static String host(
      String installation, String agent, String cloud, String flavor, String time) {
    return """
        {"installation_id": "%s", "agent_id": "%s", "sles_version": "15-SP4", "cpu_count": 4,
         "socket_count": 1, "total_memory_mb": 16384, "cloud_provider": %s, "time": "%s",
         "installation_flavor": "%s", "agent_installation_source": "suse"}"""
        .formatted(installation, agent, cloud == null ? "null" : "\"" + cloud + "\"", time, flavor);
  }

  @Test
  void distinctAgentsPerDayForAFlavor() {
    List<Map<String, Object>> rows =
        database.jdbi.withHandle(
            handle ->
                handle
                    .createQuery(
                        """
            SELECT DATE_TRUNC('day', time) AS day, count(distinct(payload->'agent_id')) AS agents
            FROM telemetry
            WHERE time BETWEEN '2024-03-01T00:00:00Z' AND '2024-03-03T00:00:00Z'
              AND payload->>'installation_flavor' ~* 'premium'
            GROUP BY 1 ORDER BY 1""")
                    .mapToMap()
                    .list());

    assertThat(rows).extracting(row -> row.get("agents")).containsExactly(3L, 2L);
  }

  @Test
  void distinctAgentsPerCloudProvider() {
    Map<String, Long> agents =
        database.jdbi.withHandle(
            handle ->
                handle
                    .createQuery(
                        """
            SELECT payload->'cloud_provider' AS provider,
                   COUNT(DISTINCT(payload->'agent_id')) AS agents
            FROM telemetry GROUP BY 1""")
                    .reduceRows(
                        new java.util.HashMap<>(),
                        (map, row) -> {
                          map.put(
                              row.getColumn("provider", String.class),
                              row.getColumn("agents", Long.class));
                          return map;
                        }));

    assertThat(agents)
        .containsOnly(Map.entry("\"azure\"", 1L), Map.entry("\"aws\"", 2L), Map.entry("null", 1L));
  }

  @Test
  void theTableHasTheOriginalCollectorsColumns() {
    List<String> columns =
        database.jdbi.withHandle(
            handle ->
                handle
                    .createQuery(
                        """
            SELECT column_name || ' ' || data_type FROM information_schema.columns
            WHERE table_name = 'telemetry' ORDER BY ordinal_position LIMIT 5""")
                    .mapTo(String.class)
                    .list());

    assertThat(columns)
        .containsExactly(
            "id bigint",
            "application text",
            "telemetry_type text",
            "time timestamp with time zone",
            "payload jsonb");
  }
}

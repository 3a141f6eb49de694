package com.suse.telemetry.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.suse.telemetry.testkit.TestTelemetry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Every SQL panel of the PostgreSQL dashboard that the deployment kit provisions, run as Grafana
 * would (its macros expanded) against records stored through the collector, gives the numbers the
 * records say it should.
 */
class DashboardSqlTest {

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final Instant FROM = Instant.parse("2024-03-01T00:00:00Z");
  private static final Instant TO = Instant.parse("2025-06-01T00:00:00Z");
  private static final Pattern GROUPED_BY = Pattern.compile("GROUP BY payload->'([a-z_]+)'");
  private static final Pattern COUNTED_BY_DAY =
      Pattern.compile("count\\(DISTINCT\\(payload->'([a-z_]+)'\\)\\)");

  private static TestCollector collector;
  private static final List<JsonNode> hosts = new ArrayList<>();

  @BeforeAll
  static void storeThroughTheCollector() {
    collector = new TestCollector();
    for (int seed = 0; seed < 30; seed++) {
      String envelope = TestTelemetry.hostsEnvelopeJson(1 + seed % 5, seed);
      assertThat(collector.post("/api/v1/telemetry", bytes(envelope)).statusCode()).isEqualTo(202);
      JSON.readTree(envelope).path("payload").forEach(hosts::add);
    }
    // Another application's record in the same table, shaped like a host: the panels count
    // Trento's hosts only.
    try (Connection connection = collector.database.connect();
        Statement insert = connection.createStatement()) {
      insert.execute(
          """
          INSERT INTO telemetry (application, telemetry_type, schema_version, time, time_nanos,
                                 received_at, identity, payload)
          VALUES ('rancher', 'host_telemetry', 1, '2024-06-01T00:00:00Z', 0, now(),
                  gen_random_uuid(),
                  '{"installation_id": "i", "agent_id": "a", "installation_flavor": "Premium",
                    "cloud_provider": "aws", "sles_version": "15-SP5", "cpu_count": 2,
                    "total_memory_mb": 1024}')""");
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  @AfterAll
  static void stop() {
    collector.close();
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void everyPanelCountsWhatWasStored() throws IOException, SQLException {
    List<String> panels = DeploymentKitTest.postgresPanels();
    assertThat(panels).hasSize(7);
    for (String sql : panels) {
      Map<String, Long> actual = run(expandGrafanaMacros(sql));
      Matcher byDay = COUNTED_BY_DAY.matcher(sql);
      if (sql.contains("DATE_TRUNC")) {
        assertThat(byDay.find()).isTrue();
        String field = byDay.group(1);
        assertThat(actual).as(sql).isEqualTo(distinctPerDay(field)).isNotEmpty();
      } else {
        Matcher grouped = GROUPED_BY.matcher(sql);
        assertThat(grouped.find()).as(sql).isTrue();
        String field = grouped.group(1);
        Function<JsonNode, String> metric =
            host -> {
              JsonNode value = host.get(field);
              if (value == null) {
                return field.equals("agent_installation_source") ? "\"Unknown\"" : null;
              }
              return value.toString();
            };
        assertThat(actual).as(sql).isEqualTo(agentsPer(metric)).isNotEmpty();
      }
    }
  }

  /** The panel's SQL as Grafana sends it: time range and the flavor variable filled in. */
  private static String expandGrafanaMacros(String sql) {
    return sql.replace("$__timeFilter(time)", "time BETWEEN '" + FROM + "' AND '" + TO + "'")
        .replace("${flavor:raw}", "Community|Premium");
  }

  private static Map<String, Long> run(String sql) throws SQLException {
    Map<String, Long> rows = new HashMap<>();
    try (Connection connection = collector.database.connect();
        Statement statement = connection.createStatement()) {
      // As Grafana's data source does: days are UTC days.
      statement.execute("SET TIME ZONE 'UTC'");
      ResultSet result = statement.executeQuery(sql);
      while (result.next()) {
        Object key = result.getObject(1);
        String name =
            key instanceof java.sql.Timestamp time
                ? time.toInstant().atOffset(ZoneOffset.UTC).toLocalDate().toString()
                : key instanceof OffsetDateTime time
                    ? time.toLocalDate().toString()
                    : result.getString(1);
        rows.put(name, result.getLong(2));
      }
    }
    return rows;
  }

  private static List<JsonNode> shown() {
    return hosts.stream()
        .filter(
            host -> {
              Instant time = OffsetDateTime.parse(host.path("time").asString()).toInstant();
              String flavor = host.path("installation_flavor").asString("");
              return !time.isBefore(FROM)
                  && !time.isAfter(TO)
                  && flavor.toLowerCase().matches(".*(community|premium).*");
            })
        .toList();
  }

  private static Map<String, Long> distinctPerDay(String field) {
    Map<String, Set<String>> perDay = new HashMap<>();
    for (JsonNode host : shown()) {
      LocalDate day =
          OffsetDateTime.parse(host.path("time").asString())
              .withOffsetSameInstant(ZoneOffset.UTC)
              .toLocalDate();
      perDay.computeIfAbsent(day.toString(), d -> new HashSet<>()).add(host.path(field).asString());
    }
    Map<String, Long> counts = new HashMap<>();
    perDay.forEach((day, values) -> counts.put(day, (long) values.size()));
    return counts;
  }

  private static Map<String, Long> agentsPer(Function<JsonNode, String> metric) {
    Map<String, Set<String>> agents = new HashMap<>();
    for (JsonNode host : shown()) {
      agents
          .computeIfAbsent(metric.apply(host), m -> new HashSet<>())
          .add(host.path("agent_id").asString());
    }
    Map<String, Long> counts = new HashMap<>();
    agents.forEach((value, ids) -> counts.put(value, (long) ids.size()));
    return counts;
  }
}

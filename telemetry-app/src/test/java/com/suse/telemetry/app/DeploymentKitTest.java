package com.suse.telemetry.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.suse.telemetry.core.settings.Setting;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * The deployment kit ({@code deploy/}) holds together: no container engine can pull images here, so
 * what can be checked without one is: every file parses, every file it names exists, every {@code
 * TELEMETRY_*} name is a real setting, and every data source a dashboard uses is provisioned.
 */
class DeploymentKitTest {

  private static final Path ROOT = Path.of("..");
  private static final Path DEPLOY = ROOT.resolve("deploy");
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final YAMLMapper YAML = YAMLMapper.builder().build();

  private static List<Path> files() throws IOException {
    try (Stream<Path> files = Files.walk(DEPLOY)) {
      return files.filter(Files::isRegularFile).toList();
    }
  }

  @Test
  void everyFileParses() throws IOException {
    for (Path file : files()) {
      String name = file.getFileName().toString();
      if (name.endsWith(".json")) {
        assertThat(JSON.readTree(file.toFile()).isObject()).as(file.toString()).isTrue();
      } else if (name.endsWith(".yaml") || name.endsWith(".yml")) {
        assertThat(YAML.readTree(file.toFile()).isObject()).as(file.toString()).isTrue();
      }
    }
  }

  @Test
  void everyTelemetryVariableIsARealSetting() throws IOException {
    Set<String> settings = new HashSet<>(Set.of(ConfigFile.VARIABLE));
    Settings.ALL.stream().map(Setting::variable).forEach(settings::add);
    Pattern variable = Pattern.compile("TELEMETRY_[A-Z0-9_]+");
    List<String> used = new ArrayList<>();
    for (Path file : files()) {
      Matcher matcher = variable.matcher(Files.readString(file));
      while (matcher.find()) {
        used.add(matcher.group());
        assertThat(settings).as("%s in %s", matcher.group(), file).contains(matcher.group());
      }
    }
    assertThat(used).contains("TELEMETRY_DB_HOST", "TELEMETRY_INFLUXDB_URL");
  }

  @Test
  void everyFileTheKitNamesExists() throws IOException {
    JsonNode compose = YAML.readTree(DEPLOY.resolve("compose.yaml").toFile());
    for (JsonNode service : compose.path("services")) {
      for (JsonNode volume : service.path("volumes")) {
        String source = volume.asString().split(":")[0];
        if (source.startsWith("./")) {
          assertThat(DEPLOY.resolve(source)).as(source).exists();
        }
      }
      JsonNode build = service.path("build");
      if (!build.isMissingNode()) {
        Path context = DEPLOY.resolve(build.path("context").asString());
        assertThat(context.resolve(build.path("dockerfile").asString())).exists();
      }
    }
    Pattern copy = Pattern.compile("^COPY (?!--from)(\\S+) ", Pattern.MULTILINE);
    Matcher sources = copy.matcher(Files.readString(DEPLOY.resolve("Containerfile")));
    int copied = 0;
    while (sources.find()) {
      assertThat(ROOT.resolve(sources.group(1))).as(sources.group(1)).exists();
      copied++;
    }
    assertThat(copied).isPositive();
    try (Stream<Path> modules = Files.list(ROOT)) {
      List<String> reactor =
          modules
              .filter(module -> Files.exists(module.resolve("pom.xml")))
              .map(module -> module.getFileName().toString())
              .filter(name -> name.startsWith("telemetry-"))
              .toList();
      assertThat(Files.readString(DEPLOY.resolve("Containerfile")))
          .as("the image builds every module of the reactor")
          .contains(reactor.stream().map(name -> "COPY " + name + " " + name).toList());
    }
    JsonNode alerts = YAML.readTree(DEPLOY.resolve("prometheus/alerts.yml").toFile());
    assertThat(alerts.path("groups").get(0).path("rules").size()).isPositive();
  }

  @Test
  void everyDashboardUsesAProvisionedDataSource() throws IOException {
    JsonNode datasources =
        YAML.readTree(DEPLOY.resolve("grafana/provisioning/datasources/telemetry.yaml").toFile());
    Set<String> provisioned = new HashSet<>();
    datasources
        .path("datasources")
        .forEach(source -> provisioned.add(source.path("uid").asString()));
    try (Stream<Path> dashboards = Files.list(DEPLOY.resolve("grafana/dashboards"))) {
      for (Path dashboard : dashboards.toList()) {
        JsonNode board = JSON.readTree(dashboard.toFile());
        assertThat(board.path("panels").size()).as(dashboard.toString()).isPositive();
        for (JsonNode panel : board.path("panels")) {
          assertThat(provisioned).contains(panel.path("datasource").path("uid").asString());
          assertThat(panel.path("targets").size()).isPositive();
        }
      }
    }
  }

  /** The SQL of every panel of the PostgreSQL dashboard, as shipped. */
  static List<String> postgresPanels() throws IOException {
    return queries("trento-postgresql.json", "rawSql");
  }

  /** The queries of every panel of the collector-health dashboard, as shipped. */
  static List<String> healthPanels() throws IOException {
    return queries("collector-health.json", "expr");
  }

  private static List<String> queries(String dashboard, String field) throws IOException {
    List<String> queries = new ArrayList<>();
    JsonNode board =
        JSON.readTree(DEPLOY.resolve("grafana/dashboards").resolve(dashboard).toFile());
    for (JsonNode panel : board.path("panels")) {
      panel.path("targets").forEach(target -> queries.add(target.path(field).asString()));
    }
    return queries;
  }

  /** The expression of every alert rule. */
  static List<String> alertExpressions() throws IOException {
    List<String> expressions = new ArrayList<>();
    JsonNode alerts = YAML.readTree(DEPLOY.resolve("prometheus/alerts.yml").toFile());
    alerts
        .path("groups")
        .forEach(
            group ->
                group.path("rules").forEach(rule -> expressions.add(rule.path("expr").asString())));
    return expressions;
  }
}

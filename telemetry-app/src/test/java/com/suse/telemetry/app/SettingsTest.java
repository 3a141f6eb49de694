package com.suse.telemetry.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.suse.telemetry.core.ForwardingSettings;
import com.suse.telemetry.core.settings.InvalidSettingException;
import com.suse.telemetry.core.settings.Setting;
import com.suse.telemetry.core.settings.SettingValues;
import com.suse.telemetry.storage.influx.InfluxSettings;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Settings as an operator gives them: options, environment variables and a configuration file. */
class SettingsTest {

  @TempDir Path directory;

  /** The settings {@code serve} would run with. */
  private static Settings read(Map<String, String> environment, String... args) {
    String[] command = new String[args.length + 1];
    command[0] = "serve";
    System.arraycopy(args, 0, command, 1, args.length);
    CommandLine commandLine =
        Main.commandLine(environment, ConfigFile.find(command, environment, Settings.ALL));
    CommandLine.ParseResult parsed = commandLine.parseArgs(command);
    return Settings.from(SettingOptions.valuesOf(parsed.subcommand().commandSpec(), Settings.ALL));
  }

  /** What {@code serve} prints and exits with when it refuses its configuration. */
  private record Refusal(int exitCode, String error) {}

  private static Refusal refuse(Map<String, String> environment, String... args) {
    StringWriter error = new StringWriter();
    String[] command = new String[args.length + 1];
    command[0] = "serve";
    System.arraycopy(args, 0, command, 1, args.length);
    CommandLine commandLine =
        Main.commandLine(environment, ConfigFile.find(command, environment, Settings.ALL));
    commandLine.setErr(new PrintWriter(error, true));
    commandLine.getSubcommands().get("serve").setErr(new PrintWriter(error, true));
    int exitCode = commandLine.execute(command);
    return new Refusal(exitCode, error.toString());
  }

  @Test
  void defaultsToPort8080AndTheEmbeddedDatabaseWithoutForwarding() {
    Settings settings = read(Map.of());

    assertThat(settings.http().port()).isEqualTo(8080);
    assertThat(settings.http().host()).isEqualTo("0.0.0.0");
    assertThat(settings.http().bodies().maxBytes()).isEqualTo(1L << 20);
    assertThat(settings.embeddedDatabase()).isTrue();
    assertThat(settings.sinks()).isEmpty();
    assertThat(settings.forwarding()).isEqualTo(ForwardingSettings.defaults());
    assertThat(settings.dataDirectory()).isEqualTo(Path.of("telemetry-data"));
    assertThat(settings.schemaDirectories()).isEmpty();
    assertThat(settings.debug()).isFalse();
  }

  @Test
  void readsTheOriginalCollectorsVariables() {
    Settings settings =
        read(
            Map.of(
                "TELEMETRY_DB_HOST", "db.example.com",
                "TELEMETRY_DB_PORT", "5433",
                "TELEMETRY_DB_USER", "collector",
                "TELEMETRY_DB_PASSWORD", "secret",
                "TELEMETRY_DB_NAME", "telemetry",
                "TELEMETRY_INFLUXDB_URL", "http://influxdb:8086",
                "TELEMETRY_INFLUXDB_TOKEN", "t0k3n",
                "TELEMETRY_INFLUXDB_ORG", "suse",
                "TELEMETRY_INFLUXDB_BUCKET", "telemetry",
                "TELEMETRY_DEBUG", "true"));

    assertThat(settings.database().url())
        .isEqualTo("jdbc:postgresql://db.example.com:5433/telemetry");
    assertThat(settings.database().user()).isEqualTo("collector");
    assertThat(settings.database().password()).isEqualTo("secret");
    assertThat(settings.sinks()).singleElement().hasToString("influxdb");
    SettingValues influx = settings.sinks().get(0).values();
    assertThat(influx.get(InfluxSettings.URL)).isEqualTo("http://influxdb:8086");
    assertThat(influx.get(InfluxSettings.TOKEN)).isEqualTo("t0k3n");
    assertThat(influx.get(InfluxSettings.ORG)).isEqualTo("suse");
    assertThat(influx.get(InfluxSettings.BUCKET)).isEqualTo("telemetry");
    assertThat(settings.debug()).isTrue();
  }

  @Test
  void aJdbcUrlWinsOverHostAndPort() {
    Settings settings =
        read(
            Map.of(
                "TELEMETRY_DB_URL", "jdbc:postgresql://a:1/b?ssl=true",
                "TELEMETRY_DB_HOST", "ignored"));

    assertThat(settings.database().url()).isEqualTo("jdbc:postgresql://a:1/b?ssl=true");
  }

  @Test
  void optionsWinOverTheEnvironmentWhichWinsOverTheFile() throws IOException {
    Path file = directory.resolve("collector.properties");
    Files.writeString(
        file,
        """
        # Written by an operator
        http-port = 7000
        http-host = 127.0.0.1
        retry-after = 9s
        max-body-size = 2MiB
        """);

    Settings fromFile = read(Map.of(), "--config", file.toString());
    Settings fromEnvironment =
        read(Map.of("TELEMETRY_HTTP_PORT", "9000", "TELEMETRY_CONFIG", file.toString()));
    Settings fromOption =
        read(Map.of("TELEMETRY_HTTP_PORT", "9000"), "--config=" + file, "--http-port", "9100");

    assertThat(fromFile.http().port()).isEqualTo(7000);
    assertThat(fromFile.http().host()).isEqualTo("127.0.0.1");
    assertThat(fromFile.http().retryAfter()).isEqualTo(Duration.ofSeconds(9));
    assertThat(fromFile.http().bodies().maxBytes()).isEqualTo(2L << 20);
    assertThat(fromEnvironment.http().port()).isEqualTo(9000);
    assertThat(fromEnvironment.http().host()).isEqualTo("127.0.0.1");
    assertThat(fromOption.http().port()).isEqualTo(9100);
    assertThat(fromOption.http().retryAfter()).isEqualTo(Duration.ofSeconds(9));
  }

  @Test
  void takesSeveralSchemaDirectoriesFromOneValueOrRepeatedOptions() throws IOException {
    Path a = Files.createDirectory(directory.resolve("a"));
    Path b = Files.createDirectory(directory.resolve("b"));

    assertThat(read(Map.of("TELEMETRY_SCHEMAS_DIR", a + ":" + b)).schemaDirectories())
        .containsExactly(a, b);
    assertThat(
            read(Map.of(), "--schemas-dir", a.toString(), "--schemas-dir", b.toString())
                .schemaDirectories())
        .containsExactly(a, b);
  }

  @Test
  void debugIsOnForEverySpellingTheSettingAccepts() {
    for (String on : List.of("true", "1", "yes", "on", "TRUE", "Yes")) {
      assertThat(read(Map.of("TELEMETRY_DEBUG", on)).debug()).as(on).isTrue();
    }
    for (String off : List.of("false", "0", "no", "off")) {
      assertThat(read(Map.of("TELEMETRY_DEBUG", off)).debug()).as(off).isFalse();
    }
    assertThat(read(Map.of(), "--debug").debug()).isTrue();
    assertThat(read(Map.of("TELEMETRY_DEBUG", "yes"), "--debug=off").debug()).isFalse();
  }

  @Test
  void refusesWithOneLineNamingTheSettingAndExitCode2() {
    Refusal port = refuse(Map.of("TELEMETRY_HTTP_PORT", "eighty"));
    assertThat(port.exitCode()).isEqualTo(2);
    assertThat(port.error())
        .startsWith(
            "Invalid configuration: TELEMETRY_HTTP_PORT (--http-port) must be a port number (0 to"
                + " 65535), was 'eighty'\n");

    assertThat(refuse(Map.of(), "--retry-after", "soon").error())
        .contains("TELEMETRY_RETRY_AFTER (--retry-after) must be a duration");
    assertThat(refuse(Map.of("TELEMETRY_DEBUG", "maybe")).error())
        .contains("TELEMETRY_DEBUG (--debug) must be true or false, was 'maybe'");
    assertThat(refuse(Map.of("TELEMETRY_DB_PORT", "5432")).error())
        .contains("TELEMETRY_DB_HOST (--db-host) must be set when TELEMETRY_DB_PORT");
    assertThat(refuse(Map.of("TELEMETRY_DB_URL", "postgres://x/y")).error())
        .contains("TELEMETRY_DB_URL (--db-url) must be a JDBC URL");
    assertThat(refuse(Map.of("TELEMETRY_INFLUXDB_URL", "influxdb:8086")).error())
        .contains("TELEMETRY_INFLUXDB_URL (--influxdb-url) must be http(s)://");
    assertThat(refuse(Map.of("TELEMETRY_INFLUXDB_URL", "http://influxdb:8086")).error())
        .contains(
            "TELEMETRY_INFLUXDB_ORG (--influxdb-org) must be set when TELEMETRY_INFLUXDB_URL is");
    assertThat(refuse(Map.of("TELEMETRY_SCHEMAS_DIR", "/no/such/dir")).error())
        .contains("TELEMETRY_SCHEMAS_DIR (--schemas-dir) must name a directory that exists");
    assertThat(refuse(Map.of("TELEMETRY_DB_HOST", "db; rm -rf")).error())
        .contains("TELEMETRY_DB_HOST (--db-host) must be a host name");
    assertThat(refuse(Map.of("TELEMETRY_BODY_MEMORY", "lots")).error())
        .contains("TELEMETRY_BODY_MEMORY (--body-memory) must be a size");
    assertThat(refuse(Map.of("TELEMETRY_BODY_MEMORY", "1MiB")).error())
        .contains("TELEMETRY_BODY_MEMORY (--body-memory) must hold at least one largest body");
  }

  @Test
  void offersEverySinkFoundWithItsOwnSettingsAndTheForwardingSettings() {
    String help =
        Main.commandLine(Map.of(), ConfigFile.none())
            .getSubcommands()
            .get("serve")
            .getUsageMessage();

    assertThat(SinkProviders.names()).containsExactly("influxdb");
    assertThat(Settings.ALL).containsAll(InfluxSettings.SETTINGS);
    assertThat(help).contains("--influxdb-url", "--outbox-lease", "--outbox-max-attempts");
    Settings settings = read(Map.of("TELEMETRY_OUTBOX_LEASE", "3s"), "--outbox-max-attempts", "4");
    assertThat(settings.forwarding().lease()).isEqualTo(Duration.ofSeconds(3));
    assertThat(settings.forwarding().maxAttempts()).isEqualTo(4);
  }

  @Test
  void neverPrintsTheValueOfASecret() {
    assertThatThrownBy(
            () ->
                read(
                    Map.of("TELEMETRY_INFLUXDB_URL", "http://influxdb:8086"),
                    "--influxdb-token",
                    "t0k3n"))
        .isInstanceOf(InvalidSettingException.class)
        .hasMessageNotContaining("t0k3n");
    String help =
        Main.commandLine(Map.of("TELEMETRY_INFLUXDB_TOKEN", "t0k3n"), ConfigFile.none())
            .getSubcommands()
            .get("serve")
            .getUsageMessage();
    assertThat(help).contains("--influxdb-token").doesNotContain("t0k3n");
  }

  @Test
  void refusesAConfigurationFileWithAKeyThatIsNoSetting() throws IOException {
    Path file = directory.resolve("collector.properties");
    Files.writeString(file, "http-port = 8080\nhtp-host = 127.0.0.1\n");

    assertThatThrownBy(
            () ->
                ConfigFile.find(new String[] {"--config", file.toString()}, Map.of(), Settings.ALL))
        .hasMessageContaining("sets [htp-host], which is no setting");
    assertThat(Main.run(Map.of("TELEMETRY_CONFIG", directory.resolve("missing").toString())))
        .isEqualTo(2);
  }

  @Test
  void everySettingIsDeclaredOnceWithItsOwnVariableAndOption() {
    Set<String> variables = new HashSet<>();
    for (Setting<?> setting : Settings.ALL) {
      assertThat(variables.add(setting.variable())).as(setting.variable()).isTrue();
      assertThat(setting.description()).as(setting.name()).isNotBlank();
      setting.defaultText().ifPresent(text -> setting.parse(text));
    }
    String help =
        Main.commandLine(Map.of(), ConfigFile.none())
            .getSubcommands()
            .get("serve")
            .getUsageMessage();
    for (Setting<?> setting : Settings.ALL) {
      assertThat(help).contains(setting.option()).contains(setting.variable());
    }
  }

  @Test
  void theReadmeDocumentsEverySetting() throws IOException {
    String readme = Files.readString(Path.of("..", "README.md"));

    for (Setting<?> setting : Settings.ALL) {
      assertThat(readme).as(setting.variable()).contains("| `" + setting.variable() + "` |");
    }
  }
}

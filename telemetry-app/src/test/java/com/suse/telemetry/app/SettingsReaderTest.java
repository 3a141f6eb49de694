package com.suse.telemetry.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.suse.telemetry.app.SettingsReader.Setting;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SettingsReaderTest {

  private static Settings read(Map<String, String> environment) {
    return SettingsReader.read(environment, Map.of());
  }

  @Test
  void defaultsToPort8080AndTheEmbeddedDatabaseWithoutForwarding() {
    Settings settings = read(Map.of());

    assertThat(settings.http().port()).isEqualTo(8080);
    assertThat(settings.embeddedDatabase()).isTrue();
    assertThat(settings.influx()).isNull();
    assertThat(settings.dataDirectory()).isEqualTo(Path.of("telemetry-data"));
    assertThat(settings.debug()).isFalse();
  }

  @Test
  void readsTheOriginalCollectorsVariables() {
    Settings settings =
        read(
            Map.of(
                "TELEMETRY_DB_HOST",
                "db.example.com",
                "TELEMETRY_DB_PORT",
                "5433",
                "TELEMETRY_DB_USER",
                "collector",
                "TELEMETRY_DB_PASSWORD",
                "secret",
                "TELEMETRY_DB_NAME",
                "telemetry",
                "TELEMETRY_INFLUXDB_URL",
                "http://influxdb:8086",
                "TELEMETRY_INFLUXDB_TOKEN",
                "t0k3n",
                "TELEMETRY_INFLUXDB_ORG",
                "suse",
                "TELEMETRY_INFLUXDB_BUCKET",
                "telemetry",
                "TELEMETRY_DEBUG",
                "true"));

    assertThat(settings.database().url())
        .isEqualTo("jdbc:postgresql://db.example.com:5433/telemetry");
    assertThat(settings.database().user()).isEqualTo("collector");
    assertThat(settings.database().password()).isEqualTo("secret");
    assertThat(settings.influx().url()).isEqualTo("http://influxdb:8086");
    assertThat(settings.influx().token()).isEqualTo("t0k3n");
    assertThat(settings.influx().bucket()).isEqualTo("telemetry");
    assertThat(settings.debug()).isTrue();
  }

  @Test
  void aJdbcUrlWinsOverHostAndPort() {
    Settings settings =
        read(
            Map.of(
                "TELEMETRY_DB_URL",
                "jdbc:postgresql://a:1/b?ssl=true",
                "TELEMETRY_DB_HOST",
                "ignored"));

    assertThat(settings.database().url()).isEqualTo("jdbc:postgresql://a:1/b?ssl=true");
  }

  @Test
  void commandLineOptionsOverrideTheEnvironment() {
    Settings settings =
        SettingsReader.read(
            Map.of("TELEMETRY_HTTP_PORT", "9000"), Map.of(Setting.HTTP_PORT, "9100"));

    assertThat(settings.http().port()).isEqualTo(9100);
  }

  @Test
  void failsNamingTheSettingThatMakesNoSense() {
    assertThatThrownBy(() -> read(Map.of("TELEMETRY_HTTP_PORT", "eighty")))
        .hasMessage(
            "TELEMETRY_HTTP_PORT (--http-port) must be a port number (0 to 65535),"
                + " was 'eighty'");
    assertThatThrownBy(() -> read(Map.of("TELEMETRY_DB_PORT", "5432")))
        .hasMessageStartingWith("TELEMETRY_DB_HOST (--db-host) must be set when TELEMETRY_DB_PORT");
    assertThatThrownBy(() -> read(Map.of("TELEMETRY_DB_URL", "postgres://x/y")))
        .hasMessageStartingWith("TELEMETRY_DB_URL (--db-url) must be a JDBC URL");
    assertThatThrownBy(() -> read(Map.of("TELEMETRY_INFLUXDB_URL", "influxdb:8086")))
        .hasMessageStartingWith("TELEMETRY_INFLUXDB_URL (--influxdb-url) must be http(s)://");
    assertThatThrownBy(() -> read(Map.of("TELEMETRY_INFLUXDB_URL", "http://influxdb:8086")))
        .hasMessage(
            "TELEMETRY_INFLUXDB_ORG (--influxdb-org) must be set when"
                + " TELEMETRY_INFLUXDB_URL is");
    assertThatThrownBy(() -> read(Map.of("TELEMETRY_DEBUG", "maybe")))
        .hasMessage("TELEMETRY_DEBUG (--debug) must be true or false, was 'maybe'");
    assertThatThrownBy(() -> read(Map.of("TELEMETRY_SCHEMAS_DIR", "/no/such/dir")))
        .hasMessageContaining("TELEMETRY_SCHEMAS_DIR (--schemas-dir) names '/no/such/dir'");
    assertThatThrownBy(() -> read(Map.of("TELEMETRY_DB_HOST", "db; rm -rf")))
        .hasMessageStartingWith("TELEMETRY_DB_HOST (--db-host) must be a host name");
  }
}

package com.suse.telemetry.core.settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SettingTest {

  private enum Mode {
    OFF,
    OPTIONAL,
    REQUIRED_ALWAYS
  }

  @Test
  void derivesTheVariableOptionAndLabelFromTheName() {
    Setting<Integer> port = Setting.port("http-port", 8080, "port");

    assertThat(port.variable()).isEqualTo("TELEMETRY_HTTP_PORT");
    assertThat(port.option()).isEqualTo("--http-port");
    assertThat(port.label()).isEqualTo("TELEMETRY_HTTP_PORT (--http-port)");
    assertThat(port.defaultText()).contains("8080");
  }

  @Test
  void refusesNamesThatAreNotKebabCase() {
    assertThatThrownBy(() -> Setting.text("HTTP_PORT", null, "x"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Setting.text("http--port", null, "x"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void parsesPortsAndNamesTheSettingWhenAValueMakesNoSense() {
    Setting<Integer> port = Setting.port("http-port", 8080, "port");

    assertThat(port.parse(" 9000 ")).isEqualTo(9000);
    assertThatThrownBy(() -> port.parse("eighty"))
        .isInstanceOf(InvalidSettingException.class)
        .hasMessage(
            "TELEMETRY_HTTP_PORT (--http-port) must be a port number (0 to 65535), was 'eighty'");
    assertThatThrownBy(() -> port.parse("65536")).hasMessageContaining("0 to 65535");
  }

  @Test
  void parsesSizesInBytesAndBinaryUnits() {
    Setting<Long> size = Setting.bytes("max-body-size", 1, 1L << 30, 1L << 20, "size");

    assertThat(size.parse("1048576")).isEqualTo(1L << 20);
    assertThat(size.parse("512KiB")).isEqualTo(512L << 10);
    assertThat(size.parse("512k")).isEqualTo(512L << 10);
    assertThat(size.parse("8MiB")).isEqualTo(8L << 20);
    assertThat(size.parse("1 GB")).isEqualTo(1L << 30);
    assertThat(size.defaultText()).contains("1MiB");
    assertThatThrownBy(() -> size.parse("2GiB")).hasMessageContaining("from 1 to 1GiB");
    assertThatThrownBy(() -> size.parse("lots")).hasMessageContaining("was 'lots'");
    assertThatThrownBy(() -> size.parse("99999999999999999999T"))
        .isInstanceOf(InvalidSettingException.class);
  }

  @Test
  void parsesDurationsWithUnitsOrInIso8601() {
    Setting<Duration> wait =
        Setting.duration("wait", Duration.ZERO, Duration.ofDays(30), Duration.ofSeconds(30), "w");

    assertThat(wait.parse("500ms")).isEqualTo(Duration.ofMillis(500));
    assertThat(wait.parse("30s")).isEqualTo(Duration.ofSeconds(30));
    assertThat(wait.parse("5m")).isEqualTo(Duration.ofMinutes(5));
    assertThat(wait.parse("2h")).isEqualTo(Duration.ofHours(2));
    assertThat(wait.parse("7d")).isEqualTo(Duration.ofDays(7));
    assertThat(wait.parse("PT1M30S")).isEqualTo(Duration.ofSeconds(90));
    assertThat(wait.defaultText()).contains("30s");
    assertThatThrownBy(() -> wait.parse("31d")).hasMessageContaining("from 0ms to 30d");
    assertThatThrownBy(() -> wait.parse("30")).hasMessageContaining("such as 500ms");
  }

  @Test
  void acceptsEverySpellingOfAFlag() {
    Setting<Boolean> debug = Setting.flag("debug", false, "debug");

    for (String on : List.of("true", "TRUE", "1", "yes", "on", "On")) {
      assertThat(debug.parse(on)).as(on).isTrue();
    }
    for (String off : List.of("false", "0", "no", "off", "OFF")) {
      assertThat(debug.parse(off)).as(off).isFalse();
    }
    assertThatThrownBy(() -> debug.parse("maybe"))
        .hasMessage("TELEMETRY_DEBUG (--debug) must be true or false, was 'maybe'");
  }

  @Test
  void parsesChoicesInLowerCaseKebabCase() {
    Setting<Mode> mode = Setting.choice("auth-mode", Mode.class, Mode.OFF, "mode");

    assertThat(mode.parse("optional")).isEqualTo(Mode.OPTIONAL);
    assertThat(mode.parse("Required-Always")).isEqualTo(Mode.REQUIRED_ALWAYS);
    assertThat(mode.description()).endsWith("(off, optional, required-always)");
    assertThatThrownBy(() -> mode.parse("on"))
        .hasMessageContaining("must be one of off, optional, required-always");
  }

  @Test
  void parsesSeveralDirectoriesAndRefusesOnesThatDoNotExist(@TempDir Path a, @TempDir Path b) {
    Setting<List<Path>> directories = Setting.directories("schemas-dir", "dirs");

    assertThat(directories.parse(a + ":" + b + ":")).containsExactly(a, b);
    assertThat(directories.parse("")).isEmpty();
    assertThatThrownBy(() -> directories.parse(a + ":/no/such/dir"))
        .hasMessage(
            "TELEMETRY_SCHEMAS_DIR (--schemas-dir) must name a directory that exists, was"
                + " '/no/such/dir'");
  }

  @Test
  void neverShowsASecretsValue() {
    Setting<Integer> secret = Setting.integer("pin", 0, 9, null, "pin").secret();

    assertThatThrownBy(() -> secret.parse("s3cr3t"))
        .hasMessage("TELEMETRY_PIN (--pin) must be a whole number from 0 to 9")
        .hasMessageNotContaining("s3cr3t");
  }

  @Test
  void escapesControlCharactersOfAValueItQuotes() {
    Setting<Integer> port = Setting.port("http-port", 8080, "port");

    assertThatThrownBy(() -> port.parse("80\n[ERROR] forged"))
        .hasMessageEndingWith("was '80\\n[ERROR] forged'");
  }

  @Test
  void valuesFallBackToTheDefaultAndSayWhetherTheyWereSet() {
    Setting<Integer> port = Setting.port("http-port", 8080, "port");
    Setting<String> host = Setting.text("db-host", null, "host");

    SettingValues values = SettingValues.defaults().with(port, 9000);

    assertThat(SettingValues.defaults().get(port)).isEqualTo(8080);
    assertThat(values.get(port)).isEqualTo(9000);
    assertThat(values.isSet(port)).isTrue();
    assertThat(values.isSet(host)).isFalse();
    assertThat(values.find(host)).isEmpty();
    assertThat(values.withText(host, "db").get(host)).isEqualTo("db");
    assertThatThrownBy(() -> values.get(host)).hasMessageContaining("TELEMETRY_DB_HOST");
  }
}

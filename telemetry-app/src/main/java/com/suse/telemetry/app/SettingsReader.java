package com.suse.telemetry.app;

import com.suse.telemetry.http.HttpSettings;
import com.suse.telemetry.storage.influx.InfluxSettings;
import com.suse.telemetry.storage.postgres.PostgresSettings;
import java.io.File;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * Reads {@link Settings} from environment variables, each of which a command-line option may
 * override. The names are the original collector's ({@code TELEMETRY_DB_*}, {@code
 * TELEMETRY_INFLUXDB_*}) plus the collector's own. A value that makes no sense fails at start-up
 * with a message naming the setting.
 */
public final class SettingsReader {

  /** Every setting: environment variable, command-line option and description, in order. */
  public enum Setting {
    HTTP_PORT("TELEMETRY_HTTP_PORT", "--http-port", "port of the HTTP API (default 8080)"),
    HTTP_HOST("TELEMETRY_HTTP_HOST", "--http-host", "address to listen on (default 0.0.0.0)"),
    DB_URL(
        "TELEMETRY_DB_URL",
        "--db-url",
        "JDBC URL of PostgreSQL, e.g. jdbc:postgresql://db:5432/telemetry; overrides"
            + " TELEMETRY_DB_HOST/PORT/NAME"),
    DB_HOST("TELEMETRY_DB_HOST", "--db-host", "PostgreSQL host"),
    DB_PORT("TELEMETRY_DB_PORT", "--db-port", "PostgreSQL port (default 5432)"),
    DB_NAME("TELEMETRY_DB_NAME", "--db-name", "PostgreSQL database (default telemetry)"),
    DB_USER("TELEMETRY_DB_USER", "--db-user", "PostgreSQL role (default telemetry)"),
    DB_PASSWORD("TELEMETRY_DB_PASSWORD", "--db-password", "PostgreSQL password"),
    INFLUXDB_URL(
        "TELEMETRY_INFLUXDB_URL",
        "--influxdb-url",
        "InfluxDB URL, e.g. http://influxdb:8086; forwarding is on only when set"),
    INFLUXDB_TOKEN("TELEMETRY_INFLUXDB_TOKEN", "--influxdb-token", "InfluxDB API token"),
    INFLUXDB_ORG("TELEMETRY_INFLUXDB_ORG", "--influxdb-org", "InfluxDB organisation"),
    INFLUXDB_BUCKET("TELEMETRY_INFLUXDB_BUCKET", "--influxdb-bucket", "InfluxDB bucket"),
    INFLUXDB_BATCH_SIZE(
        "TELEMETRY_INFLUXDB_BATCH_SIZE",
        "--influxdb-batch-size",
        "points per InfluxDB write (default 5000)"),
    SCHEMAS_DIR(
        "TELEMETRY_SCHEMAS_DIR",
        "--schemas-dir",
        "extra directories of telemetry types, separated by '" + File.pathSeparator + "'"),
    DATA_DIR(
        "TELEMETRY_DATA_DIR",
        "--data-dir",
        "data of the embedded database (default ./telemetry-data)"),
    DEBUG("TELEMETRY_DEBUG", "--debug", "true to log at debug level (default false)");

    /** The environment variable. */
    public final String variable;

    /** The command-line option. */
    public final String option;

    /** What it sets. */
    public final String description;

    Setting(String variable, String option, String description) {
      this.variable = variable;
      this.option = option;
      this.description = description;
    }
  }

  /** A setting with a value that makes no sense; the message names it. */
  public static final class InvalidSettingException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    InvalidSettingException(Setting setting, String problem) {
      super(setting.variable + " (" + setting.option + ") " + problem);
    }
  }

  private final Map<Setting, String> values = new LinkedHashMap<>();

  private SettingsReader(Map<String, String> environment, Map<Setting, String> options) {
    for (Setting setting : Setting.values()) {
      String value = options.get(setting);
      if (value == null) {
        value = environment.get(setting.variable);
      }
      if (value != null && !value.isBlank()) {
        values.put(setting, value.trim());
      }
    }
  }

  /**
   * Reads the settings from {@code environment}, where {@code options} (from the command line) do
   * not override them.
   *
   * @throws InvalidSettingException naming the first setting that makes no sense
   */
  public static Settings read(Map<String, String> environment, Map<Setting, String> options) {
    return new SettingsReader(environment, options).settings();
  }

  private Settings settings() {
    int port = integer(Setting.HTTP_PORT, 8080, 0, 65535, "a port number (0 to 65535)");
    HttpSettings defaults = HttpSettings.defaults(port);
    HttpSettings http =
        new HttpSettings(
            text(Setting.HTTP_HOST, "0.0.0.0"),
            port,
            defaults.maxBodyBytes(),
            defaults.maxDecompressedBytes(),
            defaults.maxConcurrentSubmissions(),
            defaults.memoryBudgetBytes(),
            defaults.retryAfter(),
            defaults.shutdownGrace());
    return new Settings(
        http,
        database(),
        influx(),
        schemaDirectories(),
        Path.of(text(Setting.DATA_DIR, "telemetry-data")),
        bool(Setting.DEBUG));
  }

  private PostgresSettings database() {
    String user = text(Setting.DB_USER, "telemetry");
    String password = text(Setting.DB_PASSWORD, "");
    String url = values.get(Setting.DB_URL);
    if (url != null) {
      if (!url.startsWith("jdbc:postgresql://")) {
        throw new InvalidSettingException(
            Setting.DB_URL,
            "must be a JDBC URL such as jdbc:postgresql://db:5432/telemetry, was '" + url + "'");
      }
      return PostgresSettings.of(url, user, password);
    }
    String host = values.get(Setting.DB_HOST);
    if (host == null) {
      for (Setting part : List.of(Setting.DB_PORT, Setting.DB_NAME)) {
        if (values.containsKey(part)) {
          throw new InvalidSettingException(
              Setting.DB_HOST,
              "must be set when "
                  + part.variable
                  + " is; without a database, the embedded one is used");
        }
      }
      return null;
    }
    int port = integer(Setting.DB_PORT, 5432, 1, 65535, "a port number (1 to 65535)");
    String name = text(Setting.DB_NAME, "telemetry");
    if (!host.matches("[A-Za-z0-9._:\\[\\]-]+")) {
      throw new InvalidSettingException(
          Setting.DB_HOST, "must be a host name or address, was '" + host + "'");
    }
    return PostgresSettings.of(
        "jdbc:postgresql://"
            + host
            + ":"
            + port
            + "/"
            + URLEncoder.encode(name, StandardCharsets.UTF_8),
        user,
        password);
  }

  private InfluxSettings influx() {
    String url = values.get(Setting.INFLUXDB_URL);
    if (url == null) {
      return null;
    }
    URI uri;
    try {
      uri = URI.create(url);
    } catch (IllegalArgumentException e) {
      throw new InvalidSettingException(Setting.INFLUXDB_URL, "is not a URL: " + e.getMessage());
    }
    if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))
        || uri.getHost() == null) {
      throw new InvalidSettingException(
          Setting.INFLUXDB_URL, "must be http(s)://host[:port], was '" + url + "'");
    }
    String org = required(Setting.INFLUXDB_ORG, Setting.INFLUXDB_URL);
    String bucket = required(Setting.INFLUXDB_BUCKET, Setting.INFLUXDB_URL);
    int batchSize =
        integer(
            Setting.INFLUXDB_BATCH_SIZE,
            InfluxSettings.DEFAULT_BATCH_SIZE,
            1,
            1_000_000,
            "a number of points (1 to 1000000)");
    return new InfluxSettings(
        url,
        text(Setting.INFLUXDB_TOKEN, ""),
        org,
        bucket,
        batchSize,
        InfluxSettings.DEFAULT_TIMEOUT);
  }

  private List<Path> schemaDirectories() {
    List<Path> directories = new ArrayList<>();
    String value = values.get(Setting.SCHEMAS_DIR);
    if (value != null) {
      for (String part : value.split(File.pathSeparator)) {
        if (part.isBlank()) {
          continue;
        }
        Path directory = Path.of(part.trim());
        if (!Files.isDirectory(directory)) {
          throw new InvalidSettingException(
              Setting.SCHEMAS_DIR, "names '" + part + "', which is not a directory");
        }
        directories.add(directory);
      }
    }
    return directories;
  }

  private String text(Setting setting, String fallback) {
    return values.getOrDefault(setting, fallback);
  }

  private String required(Setting setting, Setting because) {
    String value = values.get(setting);
    if (value == null) {
      throw new InvalidSettingException(setting, "must be set when " + because.variable + " is");
    }
    return value;
  }

  private int integer(Setting setting, int fallback, int min, int max, String what) {
    return parse(
        setting,
        fallback,
        text -> {
          int value = Integer.parseInt(text);
          if (value < min || value > max) {
            throw new NumberFormatException();
          }
          return value;
        },
        "must be " + what);
  }

  private boolean bool(Setting setting) {
    return parse(
        setting,
        false,
        text ->
            switch (text.toLowerCase(Locale.ROOT)) {
              case "true", "1", "yes", "on" -> true;
              case "false", "0", "no", "off" -> false;
              default -> throw new IllegalArgumentException();
            },
        "must be true or false");
  }

  private <T> T parse(Setting setting, T fallback, Function<String, T> parser, String expected) {
    String value = values.get(setting);
    if (value == null) {
      return fallback;
    }
    try {
      return parser.apply(value);
    } catch (IllegalArgumentException e) {
      throw new InvalidSettingException(setting, expected + ", was '" + value + "'");
    }
  }
}

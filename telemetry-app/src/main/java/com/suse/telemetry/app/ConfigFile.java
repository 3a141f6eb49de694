package com.suse.telemetry.app;

import com.suse.telemetry.core.settings.Setting;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * An optional configuration file ({@code --config FILE} or {@code TELEMETRY_CONFIG}): Java
 * properties, one {@code setting-name = value} per line, e.g. {@code http-port = 8080}. A key that
 * names no setting is refused, so that a typo never goes unnoticed.
 */
final class ConfigFile {

  /** The option naming the file. */
  static final String OPTION = "--config";

  /** The environment variable naming the file when the option does not. */
  static final String VARIABLE = "TELEMETRY_CONFIG";

  private static final ConfigFile NONE = new ConfigFile(Map.of());

  private final Map<String, String> values;

  private ConfigFile(Map<String, String> values) {
    this.values = values;
  }

  /** No file: nothing set. */
  static ConfigFile none() {
    return NONE;
  }

  /**
   * The file named by {@code --config} in {@code args}, else by {@link #VARIABLE}, else none. Read
   * before the command line is parsed, because the values it holds are the options' defaults.
   *
   * @throws IllegalArgumentException if the file cannot be read or has a key that is no setting
   */
  static ConfigFile find(
      String[] args, Map<String, String> environment, Collection<Setting<?>> settings) {
    Path file = null;
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals(OPTION) && i + 1 < args.length) {
        file = Path.of(args[i + 1]);
      } else if (args[i].startsWith(OPTION + "=")) {
        file = Path.of(args[i].substring(OPTION.length() + 1));
      }
    }
    if (file == null) {
      String named = environment.get(VARIABLE);
      if (named == null || named.isBlank()) {
        return NONE;
      }
      file = Path.of(named.trim());
    }
    return read(file, settings);
  }

  static ConfigFile read(Path file, Collection<Setting<?>> settings) {
    Properties properties = new Properties();
    try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      properties.load(reader);
    } catch (IOException | IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "cannot read the configuration file " + file + ": " + e.getMessage(), e);
    }
    Set<String> known =
        settings.stream().map(Setting::name).collect(Collectors.toCollection(TreeSet::new));
    Set<String> unknown = new TreeSet<>(properties.stringPropertyNames());
    unknown.removeAll(known);
    if (!unknown.isEmpty()) {
      throw new IllegalArgumentException(
          "the configuration file "
              + file
              + " sets "
              + unknown
              + ", which "
              + (unknown.size() == 1 ? "is no setting" : "are no settings")
              + "; the settings are "
              + known);
    }
    return new ConfigFile(
        properties.stringPropertyNames().stream()
            .collect(Collectors.toUnmodifiableMap(Function.identity(), properties::getProperty)));
  }

  /** The value the file gives {@code setting}, or null. */
  String value(Setting<?> setting) {
    String value = values.get(setting.name());
    return value == null || value.isBlank() ? null : value.trim();
  }
}

package com.suse.telemetry.core.settings;

import static java.util.Objects.requireNonNull;

import com.suse.telemetry.core.PrintableText;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * One setting, declared once by the module that owns it: its name, the type and validation of its
 * value, its default and its help. From the name {@code http-port} follow the environment variable
 * {@code TELEMETRY_HTTP_PORT}, the command-line option {@code --http-port} and the configuration
 * file key {@code http-port}.
 *
 * <p>Immutable and thread-safe; two settings are equal when their names are.
 *
 * @param <T> the type of the value
 */
public final class Setting<T> {

  private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9]*(-[a-z0-9]+)*");
  private static final String PREFIX = "TELEMETRY_";

  private final String name;
  private final Class<?> type;
  private final SettingParser<?> parser;
  private final String separator;
  private final String defaultText;
  private final String description;
  private final boolean secret;

  private Setting(
      String name,
      Class<?> type,
      SettingParser<?> parser,
      String separator,
      String defaultText,
      String description,
      boolean secret) {
    if (!NAME.matcher(requireNonNull(name, "name")).matches()) {
      throw new IllegalArgumentException("a setting's name is lower-case kebab case, was " + name);
    }
    this.name = name;
    this.type = requireNonNull(type, "type");
    this.parser = requireNonNull(parser, "parser");
    this.separator = separator;
    this.defaultText = defaultText;
    this.description = requireNonNull(description, "description");
    this.secret = secret;
  }

  /**
   * A setting of any type.
   *
   * @param defaultText the default as it would be written, or null when the setting has none
   */
  public static <T> Setting<T> of(
      String name, Class<T> type, SettingParser<T> parser, String defaultText, String description) {
    return new Setting<>(name, type, parser, null, defaultText, description, false);
  }

  /** Free text, e.g. a user name; null for no default. */
  public static Setting<String> text(String name, String defaultValue, String description) {
    return of(name, String.class, text -> text, defaultValue, description);
  }

  /** A whole number from {@code min} to {@code max}; null for no default. */
  public static Setting<Integer> integer(
      String name, int min, int max, Integer defaultValue, String description) {
    return of(
        name,
        Integer.class,
        text -> {
          try {
            int value = Integer.parseInt(text);
            if (value >= min && value <= max) {
              return value;
            }
          } catch (NumberFormatException e) {
            // Said below.
          }
          throw new IllegalArgumentException("must be a whole number from " + min + " to " + max);
        },
        defaultValue == null ? null : defaultValue.toString(),
        description);
  }

  /** A TCP port: 0 (any free port) to 65535. */
  public static Setting<Integer> port(String name, int defaultValue, String description) {
    return of(
        name,
        Integer.class,
        text -> {
          try {
            int port = Integer.parseInt(text);
            if (port >= 0 && port <= 65535) {
              return port;
            }
          } catch (NumberFormatException e) {
            // Said below.
          }
          throw new IllegalArgumentException("must be a port number (0 to 65535)");
        },
        Integer.toString(defaultValue),
        description);
  }

  /**
   * A number of bytes such as {@code 1048576}, {@code 512KiB}, {@code 1MiB} or {@code 2GiB}; null
   * for no default.
   */
  public static Setting<Long> bytes(
      String name, long min, long max, Long defaultValue, String description) {
    return of(
        name,
        Long.class,
        text -> {
          Long value = Sizes.parse(text);
          if (value == null || value < min || value > max) {
            throw new IllegalArgumentException(
                "must be a size from "
                    + Sizes.format(min)
                    + " to "
                    + Sizes.format(max)
                    + ", such as 512KiB or 1MiB");
          }
          return value;
        },
        defaultValue == null ? null : Sizes.format(defaultValue),
        description);
  }

  /**
   * A duration such as {@code 500ms}, {@code 30s}, {@code 5m}, {@code 2h}, {@code 7d} or ISO-8601
   * {@code PT30S}; null for no default.
   */
  public static Setting<Duration> duration(
      String name, Duration min, Duration max, Duration defaultValue, String description) {
    return of(
        name,
        Duration.class,
        text -> {
          Duration value = Durations.parse(text);
          if (value == null || value.compareTo(min) < 0 || value.compareTo(max) > 0) {
            throw new IllegalArgumentException(
                "must be a duration from "
                    + Durations.format(min)
                    + " to "
                    + Durations.format(max)
                    + ", such as 500ms, 30s or 5m");
          }
          return value;
        },
        defaultValue == null ? null : Durations.format(defaultValue),
        description);
  }

  /** On or off: {@code true}, {@code 1}, {@code yes}, {@code on} or their opposites. */
  public static Setting<Boolean> flag(String name, boolean defaultValue, String description) {
    return of(
        name,
        Boolean.class,
        text ->
            switch (text.toLowerCase(Locale.ROOT)) {
              case "true", "1", "yes", "on" -> true;
              case "false", "0", "no", "off" -> false;
              default -> throw new IllegalArgumentException("must be true or false");
            },
        Boolean.toString(defaultValue),
        description);
  }

  /** One of an enumeration's constants, written in lower case; null for no default. */
  public static <E extends Enum<E>> Setting<E> choice(
      String name, Class<E> type, E defaultValue, String description) {
    String choices =
        Arrays.stream(type.getEnumConstants())
            .map(Setting::lowerCase)
            .collect(Collectors.joining(", "));
    return of(
        name,
        type,
        text -> {
          for (E constant : type.getEnumConstants()) {
            if (lowerCase(constant).equals(text.toLowerCase(Locale.ROOT))) {
              return constant;
            }
          }
          throw new IllegalArgumentException("must be one of " + choices);
        },
        defaultValue == null ? null : lowerCase(defaultValue),
        description + " (" + choices + ")");
  }

  /** A path to an existing directory; null for no default. */
  public static Setting<Path> directory(String name, String defaultValue, String description) {
    return of(name, Path.class, Setting::existingDirectory, defaultValue, description);
  }

  /** A path; null for no default. */
  public static Setting<Path> path(String name, String defaultValue, String description) {
    return of(name, Path.class, Setting::toPath, defaultValue, description);
  }

  /**
   * Several values, each of {@code elementType} and parsed by {@code elementParser}, written
   * separated by {@code separator} (or, on the command line, by repeating the option); empty by
   * default.
   */
  @SuppressWarnings("unchecked")
  public static <E> Setting<List<E>> list(
      String name,
      Class<E> elementType,
      String separator,
      SettingParser<E> elementParser,
      String description) {
    requireNonNull(separator, "separator");
    return (Setting<List<E>>)
        (Setting<?>)
            new Setting<>(name, elementType, elementParser, separator, "", description, false);
  }

  /**
   * Several existing directories, separated by the platform's path separator ({@code :} on Linux);
   * empty by default.
   */
  public static Setting<List<Path>> directories(String name, String description) {
    return list(name, Path.class, File.pathSeparator, Setting::existingDirectory, description);
  }

  /** This setting, its value never shown: in messages, help or logs. */
  public Setting<T> secret() {
    return new Setting<>(name, type, parser, separator, defaultText, description, true);
  }

  /** The name, e.g. {@code http-port}; also the key in a configuration file. */
  public String name() {
    return name;
  }

  /** The environment variable, e.g. {@code TELEMETRY_HTTP_PORT}. */
  public String variable() {
    return PREFIX + name.toUpperCase(Locale.ROOT).replace('-', '_');
  }

  /** The command-line option, e.g. {@code --http-port}. */
  public String option() {
    return "--" + name;
  }

  /** How messages name it: {@code TELEMETRY_HTTP_PORT (--http-port)}. */
  public String label() {
    return variable() + " (" + option() + ")";
  }

  /** What it sets, for help texts. */
  public String description() {
    return description;
  }

  /** The default as it would be written, if the setting has one. */
  public Optional<String> defaultText() {
    return Optional.ofNullable(defaultText);
  }

  /** Whether its value must never be shown. */
  public boolean isSecret() {
    return secret;
  }

  /** The type of its value, or of each element when it takes several ({@link #separator()}). */
  public Class<?> type() {
    return type;
  }

  /** What separates several values, if it takes several; its value is then a list. */
  public Optional<String> separator() {
    return Optional.ofNullable(separator);
  }

  /** Parses one value, or one element of a setting that takes several. */
  public Object parseElement(String text) {
    try {
      return parser.parse(requireNonNull(text, "text").trim());
    } catch (IllegalArgumentException e) {
      throw new InvalidSettingException(
          this, e.getMessage() + (secret ? "" : ", was '" + PrintableText.of(text) + "'"));
    }
  }

  /**
   * The value of {@code text}.
   *
   * @throws InvalidSettingException naming this setting and what its value must be
   */
  @SuppressWarnings("unchecked")
  public T parse(String text) {
    requireNonNull(text, "text");
    if (separator == null) {
      return (T) parseElement(text);
    }
    List<Object> values = new ArrayList<>();
    for (String part : text.split(Pattern.quote(separator))) {
      if (!part.isBlank()) {
        values.add(parseElement(part));
      }
    }
    return (T) List.copyOf(values);
  }

  private static String lowerCase(Enum<?> constant) {
    return constant.name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  private static Path toPath(String text) {
    try {
      return Path.of(text);
    } catch (InvalidPathException e) {
      throw new IllegalArgumentException("must be a path");
    }
  }

  private static Path existingDirectory(String text) {
    Path path = toPath(text);
    if (!Files.isDirectory(path)) {
      throw new IllegalArgumentException("must name a directory that exists");
    }
    return path;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Setting<?> setting && setting.name.equals(name);
  }

  @Override
  public int hashCode() {
    return name.hashCode();
  }

  @Override
  public String toString() {
    return label();
  }
}

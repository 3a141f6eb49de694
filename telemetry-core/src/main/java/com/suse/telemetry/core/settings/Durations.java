package com.suse.telemetry.core.settings;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as people write them: {@code 500ms}, {@code 30s}, {@code 5m}, {@code 2h}, {@code 7d}.
 */
final class Durations {

  private static final Pattern DURATION = Pattern.compile("([0-9]{1,12})\\s*(ms|s|m|h|d)");

  private Durations() {}

  /** The duration {@code text} stands for (also ISO-8601, {@code PT30S}), or null if none. */
  static Duration parse(String text) {
    String lower = text.trim().toLowerCase(Locale.ROOT);
    Matcher matcher = DURATION.matcher(lower);
    if (matcher.matches()) {
      long amount = Long.parseLong(matcher.group(1));
      return switch (matcher.group(2)) {
        case "ms" -> Duration.ofMillis(amount);
        case "s" -> Duration.ofSeconds(amount);
        case "m" -> Duration.ofMinutes(amount);
        case "h" -> Duration.ofHours(amount);
        default -> Duration.ofDays(amount);
      };
    }
    try {
      return lower.startsWith("p") ? Duration.parse(text.trim()) : null;
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  /**
   * {@code duration} in the largest unit that divides it: {@code 30s}, {@code 5m}, {@code 250ms}.
   */
  static String format(Duration duration) {
    long millis = duration.toMillis();
    if (millis == 0 || millis % 1000 != 0) {
      return millis + "ms";
    }
    long seconds = millis / 1000;
    if (seconds % 86_400 == 0) {
      return seconds / 86_400 + "d";
    }
    if (seconds % 3600 == 0) {
      return seconds / 3600 + "h";
    }
    return seconds % 60 == 0 ? seconds / 60 + "m" : seconds + "s";
  }
}

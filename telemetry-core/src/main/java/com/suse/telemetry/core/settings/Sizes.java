package com.suse.telemetry.core.settings;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Sizes in bytes as people write them: {@code 1048576}, {@code 512KiB}, {@code 1MiB}, {@code 2GB}.
 */
final class Sizes {

  private static final Pattern SIZE = Pattern.compile("([0-9]{1,19})\\s*([kmgt]?)(i?b?)");

  private Sizes() {}

  /** The bytes {@code text} stands for, or null when it is no size. Units are powers of 1024. */
  static Long parse(String text) {
    Matcher matcher = SIZE.matcher(text.trim().toLowerCase(Locale.ROOT));
    if (!matcher.matches()) {
      return null;
    }
    int shift = "kmgt".indexOf(matcher.group(2)) + 1;
    if (matcher.group(2).isEmpty()) {
      shift = 0;
      if (matcher.group(3).equals("i")) {
        return null;
      }
    }
    try {
      long number = Long.parseLong(matcher.group(1));
      long bytes = number << (10 * shift);
      return (bytes >> (10 * shift)) == number ? bytes : null;
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /**
   * {@code bytes} in the largest unit that divides it: {@code 1MiB}, {@code 1536KiB}, {@code 7}.
   */
  static String format(long bytes) {
    String[] units = {"", "KiB", "MiB", "GiB", "TiB"};
    int unit = 0;
    while (unit < units.length - 1 && bytes != 0 && bytes % 1024 == 0) {
      bytes /= 1024;
      unit++;
    }
    return bytes + units[unit];
  }
}

package com.suse.telemetry.bench;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A JVM's maximum heap, written as {@code -Xmx} takes it: {@code 256m}, {@code 1g}. */
record Heap(long mebibytes) {

  private static final Pattern SIZE = Pattern.compile("(\\d+)([mMgG])");

  Heap {
    if (mebibytes < 16) {
      throw new IllegalArgumentException("a heap of " + mebibytes + " MiB is too small to run");
    }
  }

  /** Reads {@code 256m} or {@code 2g}. */
  static Heap parse(String text) {
    Matcher matcher = SIZE.matcher(text.trim());
    if (!matcher.matches()) {
      throw new IllegalArgumentException(
          "'" + text + "' is not a heap size such as 256m or 1g (m: MiB, g: GiB)");
    }
    long amount = Long.parseLong(matcher.group(1));
    boolean gibibytes = matcher.group(2).toLowerCase(Locale.ROOT).equals("g");
    return new Heap(gibibytes ? Math.multiplyExact(amount, 1024) : amount);
  }

  /** The JVM option that sets this heap. */
  String jvmOption() {
    return "-Xmx" + this;
  }

  @Override
  public String toString() {
    return mebibytes + "m";
  }
}

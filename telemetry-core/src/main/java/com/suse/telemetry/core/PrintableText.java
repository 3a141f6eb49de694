package com.suse.telemetry.core;

import static java.util.Objects.requireNonNull;

/**
 * Text from outside (a client's property names, values, messages that quote them) made safe to
 * write into a log line: control characters, backslashes and characters that some terminals
 * interpret are written as escapes, so that nothing can start a forged line or recolour the
 * terminal, and the text is cut to a bounded length. Thread-safe: a function.
 */
public final class PrintableText {

  /** The longest text kept by {@link #of(CharSequence)}, in characters before escaping. */
  public static final int DEFAULT_MAX_LENGTH = 200;

  private PrintableText() {}

  /** {@code text} escaped and cut to {@link #DEFAULT_MAX_LENGTH} characters. */
  public static String of(CharSequence text) {
    return of(text, DEFAULT_MAX_LENGTH);
  }

  /**
   * {@code text} escaped ({@code \n}, {@code \r}, {@code \t}, {@code \\}, other control and
   * invisible format characters as {@code \}{@code uXXXX}) and, when longer than {@code maxLength},
   * cut with a note of how much was left out.
   */
  public static String of(CharSequence text, int maxLength) {
    requireNonNull(text, "text");
    if (maxLength < 1) {
      throw new IllegalArgumentException("maxLength must be 1 or more");
    }
    int kept = Math.min(text.length(), maxLength);
    StringBuilder out = new StringBuilder(kept + 16);
    for (int i = 0; i < kept; i++) {
      char c = text.charAt(i);
      if (Character.isHighSurrogate(c)
          && i + 1 < kept
          && Character.isLowSurrogate(text.charAt(i + 1))) {
        out.append(c).append(text.charAt(++i));
        continue;
      }
      switch (c) {
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        case '\\' -> out.append("\\\\");
        default -> {
          if (needsEscape(c)) {
            out.append(String.format("\\u%04X", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    if (text.length() > kept) {
      out.append("...(").append(text.length() - kept).append(" more characters)");
    }
    return out.toString();
  }

  private static boolean needsEscape(char c) {
    int type = Character.getType(c);
    // Controls (C0, DEL, C1 such as the 8-bit CSI), format characters (bidirectional overrides
    // that reorder what a reader sees), line and paragraph separators, lone surrogates.
    return type == Character.CONTROL
        || type == Character.FORMAT
        || type == Character.LINE_SEPARATOR
        || type == Character.PARAGRAPH_SEPARATOR
        || type == Character.SURROGATE // a lone one: pairs are kept above
        || type == Character.UNASSIGNED;
  }
}

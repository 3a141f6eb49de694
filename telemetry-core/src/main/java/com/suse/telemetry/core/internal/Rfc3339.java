package com.suse.telemetry.core.internal;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/**
 * Parses RFC 3339 date-times ({@code 2021-11-23T11:04:02.462687463+01:00}) exactly: 0 to 9 fraction
 * digits, {@code T} or {@code t}, and {@code Z}, {@code z} or any {@code ±hh:mm} offset. Keeps the
 * nanoseconds. Written by hand because {@link java.time.format.DateTimeFormatter}'s ISO formats
 * accept more than RFC 3339 (offset seconds, no seconds) and reject {@code z}.
 */
public final class Rfc3339 {

  /** The message for any malformed date-time, naming the expected form. */
  public static final String EXPECTED =
      "must be an RFC 3339 date-time such as 2021-11-23T11:04:02.462687463+01:00 or"
          + " 2022-07-27T10:00:00.123456Z";

  // PostgreSQL refuses year 0 (it counts 1 BC), so the instant must fall in years 0001 to 9999.
  private static final Instant FIRST = Instant.parse("0001-01-01T00:00:00Z");
  private static final Instant LAST = Instant.parse("9999-12-31T23:59:59.999999999Z");

  private Rfc3339() {}

  /**
   * Parses {@code text}.
   *
   * @throws DateTimeException if it is not an RFC 3339 date-time, names no real instant (e.g. 30
   *     February) or falls outside the years 0001 to 9999 in UTC; the message says which
   */
  public static Instant parse(String text) {
    Cursor c = new Cursor(text);
    int year = c.digits(4);
    c.expect('-');
    int month = c.digits(2);
    c.expect('-');
    int day = c.digits(2);
    c.expectEither('T', 't');
    int hour = c.digits(2);
    c.expect(':');
    int minute = c.digits(2);
    c.expect(':');
    int second = c.digits(2);
    int nanos = c.fraction();
    int offsetSeconds = c.offset();
    c.expectEnd();
    if (second == 60) {
      throw new DateTimeException("leap seconds (second 60) are not supported");
    }
    LocalDateTime local = LocalDateTime.of(year, month, day, hour, minute, second, nanos);
    Instant instant =
        Instant.ofEpochSecond(local.toEpochSecond(ZoneOffset.UTC) - offsetSeconds, nanos);
    if (instant.isBefore(FIRST) || instant.isAfter(LAST)) {
      throw new DateTimeException("must fall in the years 0001 to 9999 in UTC");
    }
    return instant;
  }

  /** The message for any malformed date, naming the expected form. */
  public static final String EXPECTED_DATE = "must be an RFC 3339 full-date such as 2024-05-17";

  /**
   * Parses {@code text}, an RFC 3339 full-date ({@code 2024-05-17}), as the instant its day starts
   * in UTC.
   *
   * @throws DateTimeException if it is not such a date, names no real day or falls outside the
   *     years 0001 to 9999
   */
  public static Instant parseDate(String text) {
    Cursor c = new Cursor(text, EXPECTED_DATE);
    int year = c.digits(4);
    c.expect('-');
    int month = c.digits(2);
    c.expect('-');
    int day = c.digits(2);
    c.expectEnd();
    if (year < 1) {
      throw new DateTimeException("must fall in the years 0001 to 9999");
    }
    return LocalDate.of(year, month, day).atStartOfDay(ZoneOffset.UTC).toInstant();
  }

  private static final class Cursor {
    private final String text;
    private final String expected;
    private int pos;

    Cursor(String text) {
      this(text, EXPECTED);
    }

    Cursor(String text, String expected) {
      this.text = text;
      this.expected = expected;
    }

    int digits(int count) {
      int value = 0;
      for (int i = 0; i < count; i++) {
        value = value * 10 + digit();
      }
      return value;
    }

    int fraction() {
      if (!peek('.')) {
        return 0;
      }
      pos++;
      int start = pos;
      int nanos = 0;
      while (pos < text.length() && Character.isDigit(text.charAt(pos)) && pos - start < 9) {
        nanos = nanos * 10 + digit();
      }
      int count = pos - start;
      if (count == 0 || (pos < text.length() && Character.isDigit(text.charAt(pos)))) {
        throw malformed();
      }
      for (int i = count; i < 9; i++) {
        nanos *= 10;
      }
      return nanos;
    }

    int offset() {
      if (peek('Z') || peek('z')) {
        pos++;
        return 0;
      }
      int sign;
      if (peek('+')) {
        sign = 1;
      } else if (peek('-')) {
        sign = -1;
      } else {
        throw malformed();
      }
      pos++;
      int hours = digits(2);
      expect(':');
      int minutes = digits(2);
      if (hours > 23 || minutes > 59) {
        throw new DateTimeException("offset out of range (at most ±23:59)");
      }
      return sign * (hours * 3600 + minutes * 60);
    }

    void expect(char expected) {
      if (!peek(expected)) {
        throw malformed();
      }
      pos++;
    }

    void expectEither(char a, char b) {
      if (!peek(a) && !peek(b)) {
        throw malformed();
      }
      pos++;
    }

    void expectEnd() {
      if (pos != text.length()) {
        throw malformed();
      }
    }

    private boolean peek(char expected) {
      return pos < text.length() && text.charAt(pos) == expected;
    }

    private int digit() {
      if (pos >= text.length()) {
        throw malformed();
      }
      char ch = text.charAt(pos++);
      if (ch < '0' || ch > '9') {
        throw malformed();
      }
      return ch - '0';
    }

    private DateTimeException malformed() {
      return new DateTimeException(expected);
    }
  }
}

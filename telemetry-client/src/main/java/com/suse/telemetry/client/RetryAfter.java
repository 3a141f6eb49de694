package com.suse.telemetry.client;

import java.time.Clock;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Optional;

/**
 * Reads a {@code Retry-After} header (RFC 9110, section 10.2.3): delta-seconds, or an HTTP date
 * (IMF-fixdate, the form every sender must use).
 */
final class RetryAfter {

  private RetryAfter() {}

  /**
   * How long the collector asked to wait, counted from {@code clock}'s now; empty if the value is
   * neither form. A date in the past asks for no wait.
   */
  static Optional<Duration> parse(String value, Clock clock) {
    String text = value.trim();
    if (!text.isEmpty() && text.chars().allMatch(c -> c >= '0' && c <= '9')) {
      // More digits than a long holds still mean "a very long time".
      return Optional.of(
          text.length() > 18
              ? Duration.ofSeconds(Long.MAX_VALUE)
              : Duration.ofSeconds(Long.parseLong(text)));
    }
    try {
      ZonedDateTime date = ZonedDateTime.parse(text, DateTimeFormatter.RFC_1123_DATE_TIME);
      Duration wait = Duration.between(clock.instant(), date.toInstant());
      return Optional.of(wait.isNegative() ? Duration.ZERO : wait);
    } catch (DateTimeException e) {
      return Optional.empty();
    }
  }
}

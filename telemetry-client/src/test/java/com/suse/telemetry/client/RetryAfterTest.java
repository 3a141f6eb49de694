package com.suse.telemetry.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RetryAfterTest {

  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2024-05-17T03:12:45Z"), ZoneOffset.UTC);

  @Test
  void readsDeltaSeconds() {
    assertThat(RetryAfter.parse("5", CLOCK)).hasValue(Duration.ofSeconds(5));
    assertThat(RetryAfter.parse(" 0 ", CLOCK)).hasValue(Duration.ZERO);
    assertThat(RetryAfter.parse("99999999999999999999999", CLOCK))
        .hasValue(Duration.ofSeconds(Long.MAX_VALUE));
  }

  @Test
  void readsAnHttpDateAsTheTimeUntilIt() {
    assertThat(RetryAfter.parse("Fri, 17 May 2024 03:13:15 GMT", CLOCK))
        .hasValue(Duration.ofSeconds(30));
  }

  @Test
  void aDateInThePastAsksForNoWait() {
    assertThat(RetryAfter.parse("Fri, 17 May 2024 03:00:00 GMT", CLOCK)).hasValue(Duration.ZERO);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "soon", "-5", "1.5", "2024-05-17T03:13:15Z"})
  void ignoresAnythingElse(String value) {
    assertThat(RetryAfter.parse(value, CLOCK)).isEmpty();
  }
}

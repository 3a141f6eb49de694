package com.suse.telemetry.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.DateTimeException;
import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class Rfc3339Test {

  @ParameterizedTest
  @CsvSource({
    "2021-11-23T11:04:02.462687463+01:00, 2021-11-23T10:04:02.462687463Z",
    "2022-07-27T10:00:00.123456Z, 2022-07-27T10:00:00.123456Z",
    "2022-07-27t10:00:00z, 2022-07-27T10:00:00Z",
    "2022-07-27T10:00:00.5-05:30, 2022-07-27T15:30:00.500Z",
    "2022-07-27T00:00:00+23:59, 2022-07-26T00:01:00Z",
    "2024-02-29T23:59:59.000000001Z, 2024-02-29T23:59:59.000000001Z",
  })
  void parsesEveryFractionLengthAndOffsetKeepingNanoseconds(String text, String expected) {
    assertThat(Rfc3339.parse(text)).isEqualTo(Instant.parse(expected));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "2021-11-23T11:04:02",
        "2021-11-23 11:04:02Z",
        "2021-11-23T11:04Z",
        "2021-11-23T11:04:02.Z",
        "2021-11-23T11:04:02.1234567890Z",
        "2021-11-23T11:04:02+0100",
        "2021-11-23T11:04:02+01:00:00",
        "21-11-23T11:04:02Z",
        "2021-11-23T11:04:02Z ",
        "",
      })
  void rejectsWhatIsNotRfc3339(String text) {
    assertThatThrownBy(() -> Rfc3339.parse(text))
        .isInstanceOf(DateTimeException.class)
        .hasMessage(Rfc3339.EXPECTED);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "2021-02-30T11:04:02Z",
        "2021-13-01T00:00:00Z",
        "2021-01-01T24:00:00Z",
        "2021-12-31T23:59:60Z",
        "2021-01-01T00:00:00+24:00",
        "0000-12-31T23:59:59Z",
        "0001-01-01T00:30:00+01:00",
        "9999-12-31T23:30:00-01:00"
      })
  void rejectsInstantsThatDoNotExist(String text) {
    assertThatThrownBy(() -> Rfc3339.parse(text))
        .isInstanceOf(DateTimeException.class)
        .message()
        .isNotEqualTo(Rfc3339.EXPECTED);
  }

  @ParameterizedTest
  @CsvSource({
    "0001-01-01T00:00:00Z, 0001-01-01T00:00:00Z",
    "9999-12-31T23:59:59.999999999Z, 9999-12-31T23:59:59.999999999Z",
    "0001-01-01T00:30:00-01:00, 0001-01-01T01:30:00Z"
  })
  void acceptsTheFirstAndLastInstantsPostgresqlCanStore(String text, String expected) {
    assertThat(Rfc3339.parse(text)).isEqualTo(Instant.parse(expected));
  }
}

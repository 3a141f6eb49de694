package com.suse.telemetry.client;

import static org.assertj.core.api.Assertions.assertThat;

import com.suse.telemetry.client.CollectorAnswer.Acknowledgement;
import com.suse.telemetry.client.CollectorAnswer.Verdict;
import com.suse.telemetry.core.Violation;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CollectorAnswerTest {

  @ParameterizedTest
  @ValueSource(ints = {408, 429, 500, 502, 503, 504})
  void retriesTimingAndCollectorTrouble(int status) {
    assertThat(CollectorAnswer.verdict(status)).isEqualTo(Verdict.RETRY);
  }

  @ParameterizedTest
  @ValueSource(ints = {200, 201, 204, 301, 307, 400, 401, 403, 404, 405, 413, 415, 422})
  void refusesWhatSendingAgainCannotMend(int status) {
    assertThat(CollectorAnswer.verdict(status)).isEqualTo(Verdict.REFUSED);
  }

  @Test
  void acceptsOnly202() {
    assertThat(CollectorAnswer.verdict(202)).isEqualTo(Verdict.ACCEPTED);
  }

  @Test
  void readsTheCountsOfAnAcknowledgement() {
    assertThat(Acknowledgement.of(bytes("{\"accepted\":3,\"duplicates\":2}")))
        .isEqualTo(new Acknowledgement(3, 2));
    assertThat(Acknowledgement.of(bytes(""))).isEqualTo(new Acknowledgement(0, 0));
  }

  @Test
  void readsEveryErrorOfProblemDetails() {
    byte[] problem =
        bytes(
            "{\"title\":\"Invalid telemetry\",\"status\":400,\"detail\":\"2 violations; see errors\","
                + "\"errors\":[{\"pointer\":\"/payload/0/cpu_count\",\"message\":\"too big\"},"
                + "{\"pointer\":\"/time\",\"message\":\"not a date-time\"}]}");

    assertThat(CollectorAnswer.errors(400, problem))
        .containsExactly(
            new Violation("/payload/0/cpu_count", "too big"),
            new Violation("/time", "not a date-time"));
    assertThat(CollectorAnswer.describe(400, problem))
        .isEqualTo("HTTP 400 Invalid telemetry: 2 violations; see errors");
  }

  @Test
  void aBodyThatIsNoProblemStillGivesOneViolation() {
    assertThat(CollectorAnswer.errors(413, bytes("<html>Too large</html>")))
        .containsExactly(new Violation("", "HTTP 413"));
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}

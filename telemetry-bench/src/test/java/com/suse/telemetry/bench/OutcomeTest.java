package com.suse.telemetry.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class OutcomeTest {

  @Test
  void countsOnly202AsAccepted() {
    assertThat(Outcome.ofHttp(202, false)).isEqualTo(Outcome.ACCEPTED);
    assertThat(Outcome.ofHttp(200, false)).isEqualTo(Outcome.OTHER);
    assertThat(Outcome.ofHttp(400, false)).isEqualTo(Outcome.OTHER);
    assertThat(Outcome.ofHttp(500, true)).isEqualTo(Outcome.OTHER);
  }

  @Test
  void treats429As503BothSheddingAndBothOwingARetryAfter() {
    assertThat(Outcome.ofHttp(503, true)).isEqualTo(Outcome.SHED);
    assertThat(Outcome.ofHttp(429, true)).isEqualTo(Outcome.SHED);
    assertThat(Outcome.ofHttp(503, false)).isEqualTo(Outcome.SHED_WITHOUT_RETRY_AFTER);
    assertThat(Outcome.ofHttp(429, false)).isEqualTo(Outcome.SHED_WITHOUT_RETRY_AFTER);
  }
}

package com.suse.telemetry.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BackoffTest {

  private static final RetryPolicy POLICY =
      new RetryPolicy(Duration.ofMillis(100), Duration.ofSeconds(2), Duration.ofMinutes(1));

  @Test
  void boundDoublesFromTheFirstWaitUpToTheCap() {
    Backoff backoff = new Backoff(POLICY, () -> 0.5);

    assertThat(List.of(1, 2, 3, 4, 5, 6, 7, 100, Integer.MAX_VALUE))
        .extracting(backoff::bound)
        .containsExactly(
            Duration.ofMillis(100),
            Duration.ofMillis(200),
            Duration.ofMillis(400),
            Duration.ofMillis(800),
            Duration.ofMillis(1600),
            Duration.ofSeconds(2),
            Duration.ofSeconds(2),
            Duration.ofSeconds(2),
            Duration.ofSeconds(2));
  }

  @Test
  void drawsFullJitterOverTheWholeRangeBelowTheBound() {
    Random random = new Random(42);
    Backoff backoff = new Backoff(POLICY, random::nextDouble);

    List<Duration> waits = new ArrayList<>();
    for (int i = 0; i < 2000; i++) {
      waits.add(backoff.after(3));
    }

    Duration bound = Duration.ofMillis(400);
    assertThat(waits).allSatisfy(w -> assertThat(w).isBetween(Duration.ZERO, bound));
    // Full jitter, not "half the bound plus jitter": both ends of the range are drawn.
    assertThat(waits).anySatisfy(w -> assertThat(w).isLessThan(Duration.ofMillis(20)));
    assertThat(waits).anySatisfy(w -> assertThat(w).isGreaterThan(Duration.ofMillis(380)));
  }

  @Test
  void theCapHoldsForTheLargestDraw() {
    Backoff backoff = new Backoff(POLICY, () -> Math.nextDown(1.0));

    assertThat(backoff.after(50)).isLessThanOrEqualTo(Duration.ofSeconds(2));
    assertThat(backoff.after(50)).isGreaterThan(Duration.ofMillis(1999));
  }
}

package com.suse.telemetry.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/**
 * The load generator against channels of the test's own, which answer as told: what is counted and
 * from when latency runs, never how fast anything is.
 */
class LoadTest {

  /** Answers each request after {@code millis}, with the outcome the request names. */
  private static Channel<Outcome> slowChannel(long millis) {
    return new Channel<>() {
      @Override
      public Outcome send(Outcome request) {
        LockSupport.parkNanos(millis * 1_000_000);
        return request;
      }

      @Override
      public void close() {}
    };
  }

  @Test
  void openLoopSendsEveryRequestDueAndMeasuresFromWhenItWasDue() throws Exception {
    // One channel taking 20 ms a request cannot keep up with 200 a second: requests queue, and
    // their latency must show the queue, not only the 20 ms each took once sent.
    LoadResult result =
        Load.openLoop(
            () -> slowChannel(20), () -> Outcome.ACCEPTED, 200, 1, 0.25, CpuTicks.machine());

    assertThat(result.tally().accepted()).isEqualTo(50);
    assertThat(result.accepted().count()).isEqualTo(50);
    // The last request was due at 245 ms and sent after the 49 before it: 49 x 20 ms = 980 ms.
    assertThat(result.all().maxMillis()).isGreaterThan(700);
    assertThat(result.all().millisAt(0)).isGreaterThanOrEqualTo(20);
  }

  @Test
  void countsEachOutcomeAndTimesOnlyAcceptedOnesAsAccepted() throws Exception {
    Outcome[] outcomes = {
      Outcome.ACCEPTED, Outcome.SHED, Outcome.SHED_WITHOUT_RETRY_AFTER, Outcome.OTHER
    };
    AtomicInteger next = new AtomicInteger();

    LoadResult result =
        Load.openLoop(
            () -> slowChannel(0),
            () -> outcomes[next.getAndIncrement() % outcomes.length],
            400,
            4,
            0.1,
            CpuTicks.machine());

    assertThat(result.tally()).isEqualTo(new Tally(10, 10, 10, 10));
    assertThat(result.all().count()).isEqualTo(40);
    assertThat(result.accepted().count()).isEqualTo(10);
  }

  @Test
  void closedLoopCountsOnlyWhatFallsInTheMeasuredWindow() throws Exception {
    LoadResult result =
        Load.closedLoop(
            () -> slowChannel(5), () -> Outcome.ACCEPTED, 2, 0.1, 0.2, CpuTicks.machine());

    assertThat(result.seconds()).isEqualTo(0.2);
    // Two clients, 5 ms a request at the fastest, answers within 0.2 s: at most 2 x 41.
    assertThat(result.tally().accepted()).isPositive().isLessThanOrEqualTo(82);
    assertThat(result.accepted().count()).isEqualTo(result.tally().accepted());
  }

  @Test
  void aClosedLoopClientTurnedAwayWaitsAsRetryAfterAsks() throws Exception {
    // Every request is shed and asks for 1 s: a client that honours it sends once in the 0.5 s.
    AtomicInteger sent = new AtomicInteger();
    Channel<Outcome> shedding =
        new Channel<>() {
          @Override
          public Outcome send(Outcome request) {
            sent.incrementAndGet();
            return Outcome.SHED;
          }

          @Override
          public Duration retryAfter() {
            return Duration.ofSeconds(1);
          }

          @Override
          public void close() {}
        };

    LoadResult result =
        Load.closedLoop(() -> shedding, () -> Outcome.SHED, 3, 0, 0.5, CpuTicks.machine());

    assertThat(sent).hasValue(3);
    assertThat(result.tally().accepted()).isZero();
  }

  @Test
  void readsTheProcessorsBeforeAndAfterTheRun() throws Exception {
    Iterator<CpuTicks> readings =
        List.of(new CpuTicks(100, 1_000, 10), new CpuTicks(150, 1_100, 35)).iterator();

    LoadResult result =
        Load.openLoop(() -> slowChannel(0), () -> Outcome.ACCEPTED, 100, 1, 0.05, readings::next);

    assertThat(result.cpu()).isEqualTo(new CpuUse(0.5, 0.25));
  }

  @Test
  void aFailingWorkerFailsTheRun() {
    assertThatThrownBy(
            () ->
                Load.openLoop(
                    () -> slowChannel(0),
                    () -> {
                      throw new IllegalStateException("cannot make a request");
                    },
                    100,
                    2,
                    0.1,
                    CpuTicks.machine()))
        .isInstanceOf(IllegalStateException.class)
        .hasRootCauseMessage("cannot make a request");
  }

  @Test
  void anOpenLoopWindowLastsUntilWhatItMustHoldHasEnded() throws Exception {
    CompletableFuture<Void> event =
        CompletableFuture.runAsync(
            () -> {}, CompletableFuture.delayedExecutor(300, TimeUnit.MILLISECONDS));

    LoadResult result =
        Load.openLoop(
            () -> slowChannel(0), () -> Outcome.ACCEPTED, 100, 2, 0.05, CpuTicks.machine(), event);

    // It returned only once the event had ended, having gone on past its 0.05 s at the same rate:
    // more than the 5 requests of the 0.05 s.
    assertThat(event).isDone();
    assertThat(result.seconds()).isGreaterThan(0.05);
    assertThat(result.tally().accepted()).isGreaterThan(5);
    assertThat(result.all().count()).isEqualTo(result.tally().total());
  }

  @Test
  void anOpenLoopWithNothingToSendStillLastsItsWindow() throws Exception {
    CompletableFuture<Void> event =
        CompletableFuture.runAsync(
            () -> {}, CompletableFuture.delayedExecutor(100, TimeUnit.MILLISECONDS));

    LoadResult result =
        Load.openLoop(
            () -> slowChannel(0), () -> Outcome.ACCEPTED, 0, 2, 0.05, CpuTicks.machine(), event);

    assertThat(event).isDone();
    assertThat(result.seconds()).isGreaterThanOrEqualTo(0.05);
    assertThat(result.tally().total()).isZero();
  }
}

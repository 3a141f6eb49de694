package com.suse.telemetry.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.suse.telemetry.core.memory.InMemoryTelemetryStore;
import com.suse.telemetry.core.memory.InMemoryTelemetryStore.ParkedRecord;
import com.suse.telemetry.core.spi.Outbox;
import com.suse.telemetry.core.spi.SinkRefusedException;
import com.suse.telemetry.core.spi.SinkUnavailableException;
import com.suse.telemetry.core.spi.TelemetrySink;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The forwarder's own behaviour, with the in-memory outbox and a sink the test controls. */
class OutboxForwarderTest {

  private static final String SINK = "test-sink";

  private final InMemoryTelemetryStore store = InMemoryTelemetryStore.create(SINK);
  private final ControlledSink sink = new ControlledSink();
  private OutboxForwarder forwarder;

  /** How the sink answers a write holding a record marked with {@code "cpu_count":13}. */
  private enum Marked {
    TAKEN,
    REJECTED,
    REFUSED,
    FAILED
  }

  /** A sink that records batches, and can be made to fail, to hold a batch or to mind a record. */
  private static final class ControlledSink implements TelemetrySink {
    final List<List<TelemetryRecord>> batches = Collections.synchronizedList(new ArrayList<>());
    volatile boolean down;
    volatile boolean failing;
    volatile Marked marked = Marked.TAKEN;
    volatile int attempts;
    volatile CountDownLatch holding;
    volatile CountDownLatch release;

    @Override
    public String name() {
      return SINK;
    }

    @Override
    public List<Rejection> write(List<TelemetryRecord> records) {
      attempts++;
      if (down) {
        throw new SinkUnavailableException("connection refused");
      }
      if (failing) {
        throw new IllegalStateException("HTTP 500: internal error");
      }
      boolean holdsMarked = records.stream().anyMatch(ControlledSink::isMarked);
      if (holdsMarked && marked == Marked.REFUSED) {
        throw new SinkRefusedException("HTTP 400: field type conflict");
      }
      if (holdsMarked && marked == Marked.FAILED) {
        throw new IllegalStateException("HTTP 500: internal error");
      }
      if (release != null) {
        holding.countDown();
        try {
          release.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      List<Rejection> rejections =
          marked == Marked.REJECTED
              ? records.stream()
                  .filter(ControlledSink::isMarked)
                  .map(record -> new Rejection(record, "value out of range"))
                  .toList()
              : List.of();
      batches.add(records.stream().filter(record -> !rejectedHere(record)).toList());
      return rejections;
    }

    private boolean rejectedHere(TelemetryRecord record) {
      return marked == Marked.REJECTED && isMarked(record);
    }

    static boolean isMarked(TelemetryRecord record) {
      return record.json().contains("\"cpu_count\":13");
    }

    int delivered() {
      return batches.stream().mapToInt(List::size).sum();
    }
  }

  /** A clock the test moves. */
  private static final class MovingClock extends Clock {
    volatile Instant now = Instant.parse("2025-01-01T00:00:00Z");

    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  @AfterEach
  void stop() {
    if (forwarder != null) {
      forwarder.close();
    }
  }

  /** Stores {@code count} hosts; the 14th host stored (cpu_count 13) is the marked one. */
  private void storeHosts(int count) {
    store.store(TestHosts.hosts(count, store.records().size()));
  }

  private OutboxForwarder.Builder forwarder() {
    return OutboxForwarder.builder(store, sink)
        .batchSize(10)
        .idleDelay(Duration.ofMillis(10))
        .initialBackoff(Duration.ofMillis(20))
        .maxBackoff(Duration.ofMillis(200));
  }

  /** Forwards on the calling thread until the outbox is empty, ignoring failed attempts. */
  private void drain(OutboxForwarder forwarder) {
    for (int i = 0; i < 100 && store.lag(SINK).pending() > 0; i++) {
      try {
        forwarder.forwardOnce();
      } catch (RuntimeException e) {
        // the next round tries again
      }
    }
  }

  private static void await(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("condition in time").isLessThan(deadline);
      Thread.sleep(5);
    }
  }

  @Test
  @Timeout(30)
  void drainsTheOutboxInOrderInBatches() throws InterruptedException {
    storeHosts(35);
    forwarder = forwarder().build();
    forwarder.start();

    await(() -> store.lag(SINK).pending() == 0);

    assertThat(sink.batches).extracting(List::size).containsExactly(10, 10, 10, 5);
    List<TelemetryRecord> forwarded = sink.batches.stream().flatMap(List::stream).toList();
    assertThat(forwarded).containsExactlyElementsOf(store.records());
    assertThat(forwarder.delivered()).isEqualTo(35);
    await(() -> forwarder.status() == OutboxForwarder.Status.UP);
  }

  @Test
  @Timeout(30)
  void keepsRecordsAndBacksOffWhileTheSinkIsDownThenCatchesUp() throws InterruptedException {
    storeHosts(25);
    sink.down = true;
    forwarder = forwarder().maxAttempts(1).build();
    forwarder.start();
    await(() -> sink.attempts >= 4);

    assertThat(store.lag(SINK).pending()).isEqualTo(25);
    assertThat(store.parked(SINK)).as("an outage parks nothing").isEmpty();
    assertThat(forwarder.failures()).isGreaterThanOrEqualTo(4);
    assertThat(forwarder.status()).isEqualTo(OutboxForwarder.Status.DOWN);
    await(() -> forwarder.lastLag() != null && forwarder.lastLag().pending() == 25);
    storeHosts(5);
    sink.down = false;

    await(() -> store.lag(SINK).pending() == 0);
    assertThat(sink.delivered()).isEqualTo(30);
    await(() -> forwarder.status() == OutboxForwarder.Status.UP);
  }

  @Test
  @Timeout(30)
  void backsOffExponentiallyUpToTheLimit() throws InterruptedException {
    storeHosts(1);
    sink.down = true;
    forwarder =
        forwarder()
            .initialBackoff(Duration.ofMillis(50))
            .maxBackoff(Duration.ofMillis(400))
            .build();
    forwarder.start();

    Thread.sleep(1500);

    // Waits of 25-50, 50-100, 100-200, then 200-400 ms: about 6 to 9 attempts in 1.5 s,
    // where no back-off would make hundreds.
    assertThat(sink.attempts).isBetween(4, 12);
  }

  @Test
  void parksWhatTheSinkCannotHoldAtOnceAndDeliversTheRest() {
    storeHosts(20);
    sink.marked = Marked.REJECTED;
    forwarder = forwarder().build();

    drain(forwarder);

    assertThat(store.parked(SINK))
        .singleElement()
        .satisfies(
            parked -> {
              assertThat(parked.reason()).isEqualTo("value out of range");
              assertThat(parked.attempts()).isEqualTo(1);
              assertThat(ControlledSink.isMarked(parked.record())).isTrue();
            });
    assertThat(sink.delivered()).isEqualTo(19);
    assertThat(forwarder.parked()).isEqualTo(1);
    assertThat(store.lag(SINK).parked()).isEqualTo(1);
  }

  @Test
  void isolatesARecordRefusedOnItsOwnAndParksItAtOnce() {
    storeHosts(16);
    sink.marked = Marked.REFUSED;
    forwarder = forwarder().batchSize(16).build();

    forwarder.forwardOnce();

    assertThat(store.parked(SINK))
        .singleElement()
        .extracting(ParkedRecord::reason, ParkedRecord::attempts)
        .containsExactly("HTTP 400: field type conflict", 1);
    assertThat(sink.delivered()).isEqualTo(15);
    // The whole, then halves down to the record: 1 + 2 * log2(16) writes.
    assertThat(sink.attempts).isEqualTo(9);
  }

  @Test
  void retriesARecordFailingOnItsOwnApartAndParksItAfterItsAttempts() {
    storeHosts(30);
    sink.marked = Marked.FAILED;
    forwarder = forwarder().maxAttempts(3).build();

    forwarder.forwardOnce();
    forwarder.forwardOnce();

    assertThat(sink.delivered()).as("all but the failing record").isEqualTo(19);
    assertThat(store.parked(SINK)).isEmpty();
    assertThat(forwarder.status()).isEqualTo(OutboxForwarder.Status.DEGRADED);
    int writes = sink.attempts;
    forwarder.forwardOnce();
    assertThat(sink.attempts - writes)
        .as("the failing record is written apart, the rest at once")
        .isEqualTo(2);

    drain(forwarder);

    assertThat(sink.delivered()).isEqualTo(29);
    assertThat(store.parked(SINK))
        .singleElement()
        .satisfies(
            parked -> {
              assertThat(parked.reason()).isEqualTo("HTTP 500: internal error");
              assertThat(parked.attempts()).isEqualTo(3);
            });
    assertThat(store.lag(SINK).pending()).isZero();
  }

  @Test
  void parksARecordThatKeepsFailingLongerThanAllowedWhateverItsAttempts() {
    MovingClock clock = new MovingClock();
    storeHosts(20);
    sink.marked = Marked.FAILED;
    forwarder =
        forwarder()
            .batchSize(20)
            .maxAttempts(100)
            .parkAfter(Duration.ofMinutes(10))
            .clock(clock)
            .build();

    forwarder.forwardOnce();
    clock.now = clock.now.plus(Duration.ofMinutes(9));
    storeHosts(5);
    forwarder.forwardOnce();
    assertThat(store.parked(SINK)).isEmpty();
    clock.now = clock.now.plus(Duration.ofMinutes(1));
    storeHosts(5);
    forwarder.forwardOnce();

    assertThat(store.parked(SINK)).singleElement().extracting(ParkedRecord::attempts).isEqualTo(3);
  }

  @Test
  void parksNothingWhileTheSinkFailsEveryWriteAndSplitsOnlySoFar() {
    storeHosts(10);
    sink.failing = true;
    forwarder = forwarder().maxAttempts(1).build();

    for (int i = 0; i < 5; i++) {
      int writes = sink.attempts;
      assertThatThrownBy(forwarder::forwardOnce).hasMessageContaining("took none of the 10");
      // Down to one record, and its neighbour: 1 + log2(10) rounded up, + 1.
      assertThat(sink.attempts - writes).isLessThanOrEqualTo(6);
    }

    assertThat(store.parked(SINK)).isEmpty();
    assertThat(store.lag(SINK).pending()).isEqualTo(10);
    Outbox.Claim claim = store.claim(SINK, 10, Duration.ofMinutes(1));
    assertThat(claim.entries())
        .as("released, attempts not counted")
        .allMatch(e -> e.attempts() == 0);
  }

  @Test
  void takesOverABatchWhoseLeaseRanOut() throws InterruptedException {
    storeHosts(5);
    store.claim(SINK, 10, Duration.ofMillis(200)); // a forwarder that died holding the batch
    forwarder = forwarder().build();

    assertThat(forwarder.forwardOnce()).as("leased to somebody else").isZero();
    await(
        () -> {
          forwarder.forwardOnce();
          return sink.delivered() == 5;
        });
    assertThat(store.lag(SINK).pending()).isZero();
  }

  @Test
  @Timeout(30)
  void finishesTheBatchInFlightWhenStopped() throws InterruptedException {
    storeHosts(10);
    sink.holding = new CountDownLatch(1);
    sink.release = new CountDownLatch(1);
    forwarder = forwarder().build();
    forwarder.start();
    assertThat(sink.holding.await(10, TimeUnit.SECONDS)).isTrue();

    Thread stopping = new Thread(() -> forwarder.stop(Duration.ofSeconds(20)));
    stopping.start();
    Thread.sleep(100);
    assertThat(stopping.isAlive()).as("waits for the batch").isTrue();
    sink.release.countDown();
    stopping.join(20_000);

    assertThat(sink.delivered()).isEqualTo(10);
    assertThat(store.lag(SINK).pending()).isZero();
  }

  @Test
  @Timeout(30)
  void reportsTheLag() {
    storeHosts(7);
    forwarder = forwarder().build();

    assertThat(forwarder.lag().pending()).isEqualTo(7);
  }
}

package com.suse.telemetry.core;

import static org.assertj.core.api.Assertions.assertThat;

import com.suse.telemetry.core.memory.InMemoryTelemetryStore;
import com.suse.telemetry.core.spi.SinkUnavailableException;
import com.suse.telemetry.core.spi.TelemetrySink;
import java.time.Duration;
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

  private final InMemoryTelemetryStore store = InMemoryTelemetryStore.create("test-sink");
  private final ControlledSink sink = new ControlledSink();
  private OutboxForwarder forwarder;

  /** A sink that records batches, and can be made to fail or to hold a batch. */
  private static final class ControlledSink implements TelemetrySink {
    final List<List<TelemetryRecord>> batches = Collections.synchronizedList(new ArrayList<>());
    volatile boolean down;
    volatile int attempts;
    volatile CountDownLatch holding;
    volatile CountDownLatch release;

    @Override
    public String name() {
      return "test-sink";
    }

    @Override
    public List<Rejection> write(List<TelemetryRecord> records) {
      attempts++;
      if (down) {
        throw new SinkUnavailableException("connection refused");
      }
      if (release != null) {
        holding.countDown();
        try {
          release.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      batches.add(List.copyOf(records));
      return records.stream()
          .filter(record -> record.json().contains("\"cpu_count\":13"))
          .map(record -> new Rejection(record, "field type conflict"))
          .toList();
    }

    int delivered() {
      return batches.stream().mapToInt(List::size).sum();
    }
  }

  @AfterEach
  void stop() {
    if (forwarder != null) {
      forwarder.close();
    }
  }

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

    await(() -> store.lag("test-sink").pending() == 0);

    assertThat(sink.batches).extracting(List::size).containsExactly(10, 10, 10, 5);
    List<TelemetryRecord> forwarded = sink.batches.stream().flatMap(List::stream).toList();
    assertThat(forwarded).containsExactlyElementsOf(store.records());
    assertThat(forwarder.forwarded()).isEqualTo(35);
  }

  @Test
  @Timeout(30)
  void keepsRecordsAndBacksOffWhileTheSinkIsDownThenCatchesUp() throws InterruptedException {
    storeHosts(25);
    sink.down = true;
    forwarder = forwarder().build();
    forwarder.start();
    await(() -> sink.attempts >= 4);

    assertThat(store.lag("test-sink").pending()).isEqualTo(25);
    assertThat(forwarder.failures()).isGreaterThanOrEqualTo(4);
    assertThat(forwarder.isFailing()).isTrue();
    await(() -> forwarder.lastLag() != null && forwarder.lastLag().pending() == 25);
    storeHosts(5);
    sink.down = false;

    await(() -> store.lag("test-sink").pending() == 0);
    assertThat(sink.delivered()).isEqualTo(30);
    await(() -> !forwarder.isFailing() && forwarder.lastLag().pending() == 0);
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
  @Timeout(30)
  void setsAsideWhatTheSinkRefusesForGood() throws InterruptedException {
    storeHosts(20);
    forwarder = forwarder().build();
    forwarder.start();

    await(() -> store.lag("test-sink").pending() == 0);

    assertThat(store.rejections())
        .singleElement()
        .satisfies(r -> assertThat(r.reason()).isEqualTo("field type conflict"));
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
    assertThat(store.lag("test-sink").pending()).isZero();
  }

  @Test
  @Timeout(30)
  void reportsTheLag() {
    storeHosts(7);
    forwarder = forwarder().build();

    assertThat(forwarder.lag().pending()).isEqualTo(7);
  }
}

package com.suse.telemetry.client;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The envelopes a publisher is delivering, at most one delivery per id, and what they share: the
 * collector, the spool, the back-off, the timer and the request slots. Thread-safe.
 */
final class Deliveries {

  private static final Logger LOG = LoggerFactory.getLogger(Deliveries.class);

  private final CollectorEndpoint endpoint;
  private final Spool spool;
  private final Backoff backoff;
  private final ScheduledExecutorService scheduler;
  private final RequestSlots slots;
  private final Clock clock;
  private final Duration requestTimeout;
  private final Duration timeBudget;
  private final ConcurrentHashMap<UUID, Delivery> inFlight = new ConcurrentHashMap<>();
  private volatile boolean closing;

  Deliveries(
      CollectorEndpoint endpoint,
      Spool spool,
      Backoff backoff,
      ScheduledExecutorService scheduler,
      RequestSlots slots,
      Clock clock,
      Duration requestTimeout,
      Duration timeBudget) {
    this.endpoint = endpoint;
    this.spool = spool;
    this.backoff = backoff;
    this.scheduler = scheduler;
    this.slots = slots;
    this.clock = clock;
    this.requestTimeout = requestTimeout;
    this.timeBudget = timeBudget;
  }

  /**
   * Delivers {@code body}, the gzipped envelope {@code id}: spools it first, then sends it. An id
   * already being delivered is not sent twice; its delivery's result is returned.
   *
   * @throws IOException if the spool cannot be written
   */
  CompletableFuture<PublishResult> deliver(UUID id, byte[] body) throws IOException {
    Delivery current = inFlight.get(id);
    if (current != null) {
      return current.result();
    }
    spool.add(id, body);
    return start(id, body);
  }

  /**
   * Sends every spooled envelope not already being sent; the result completes once each of them has
   * an outcome.
   */
  CompletableFuture<List<PublishResult>> resendSpooled() {
    List<CompletableFuture<PublishResult>> results = new ArrayList<>();
    for (UUID id : spool.ids()) {
      Delivery current = inFlight.get(id);
      if (current != null) {
        results.add(current.result());
      } else {
        resend(id).ifPresent(results::add);
      }
    }
    return CompletableFuture.allOf(results.toArray(CompletableFuture<?>[]::new))
        .thenApply(done -> results.stream().map(CompletableFuture::join).toList());
  }

  private Optional<CompletableFuture<PublishResult>> resend(UUID id) {
    try {
      return spool.read(id).map(body -> start(id, body));
    } catch (IOException | IllegalStateException e) {
      LOG.warn("cannot read envelope {} from the spool: {}", id, e.toString());
      return Optional.empty();
    }
  }

  /**
   * Stops starting deliveries, waits until {@code deadline} ({@link System#nanoTime()}) for those
   * under way, then abandons the rest.
   */
  void close(long deadline) {
    closing = true;
    while (!inFlight.isEmpty()) {
      long remaining = deadline - System.nanoTime();
      if (remaining <= 0) {
        break;
      }
      CompletableFuture<?> all =
          CompletableFuture.allOf(
              inFlight.values().stream()
                  .map(Delivery::result)
                  .toArray(CompletableFuture<?>[]::new));
      try {
        all.get(remaining, TimeUnit.NANOSECONDS);
      } catch (TimeoutException | ExecutionException e) {
        // Timed out: abandoned below. Failed: a defect its caller sees; the others go on.
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    inFlight.values().forEach(Delivery::abandon);
  }

  private CompletableFuture<PublishResult> start(UUID id, byte[] body) {
    Delivery delivery = new Delivery(id, body, this, System.nanoTime() + timeBudget.toNanos());
    Delivery current = inFlight.putIfAbsent(id, delivery);
    if (current != null) {
      return current.result();
    }
    delivery.result().whenComplete((result, failure) -> finished(delivery, result));
    if (closing) {
      // close() may have looked at the deliveries under way before this one joined them.
      delivery.abandon();
    } else {
      delivery.start();
    }
    return delivery.result();
  }

  private void finished(Delivery delivery, PublishResult result) {
    inFlight.remove(delivery.id(), delivery);
    // An acknowledgement says the collector is back: send what earlier gave up waiting for it.
    // More spooled than under way is the cheap sign that some wait.
    if (result != null
        && result.isAccepted()
        && !closing
        && spool.status().envelopes() > inFlight.size()) {
      for (UUID id : spool.ids()) {
        if (!inFlight.containsKey(id)) {
          resend(id);
        }
      }
    }
  }

  CollectorEndpoint endpoint() {
    return endpoint;
  }

  Spool spool() {
    return spool;
  }

  Backoff backoff() {
    return backoff;
  }

  ScheduledExecutorService scheduler() {
    return scheduler;
  }

  RequestSlots slots() {
    return slots;
  }

  Clock clock() {
    return clock;
  }

  Duration requestTimeout() {
    return requestTimeout;
  }
}

package com.suse.telemetry.client;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers one envelope: sends the same bytes, with the same id, until the collector acknowledges
 * or refuses them, or the time budget is spent. One attempt at a time; no thread is held while
 * waiting.
 */
final class Delivery {

  private static final Logger LOG = LoggerFactory.getLogger(Delivery.class);

  private final UUID id;
  private final byte[] body;
  private final Deliveries deliveries;
  private final long deadline;
  private final CompletableFuture<PublishResult> result = new CompletableFuture<>();

  // Attempts follow one another through executors, which order them; close() reads them too.
  private volatile int attempts;
  private volatile int lastStatus;
  private volatile String lastProblem = "never sent";
  private ScheduledFuture<?> nextAttempt;

  /**
   * @param deadline the {@link System#nanoTime()} after which no attempt starts
   */
  Delivery(UUID id, byte[] body, Deliveries deliveries, long deadline) {
    this.id = id;
    this.body = body;
    this.deliveries = deliveries;
    this.deadline = deadline;
  }

  UUID id() {
    return id;
  }

  /** Completes once the delivery ends; never exceptionally but for a defect. */
  CompletableFuture<PublishResult> result() {
    return result;
  }

  /** Queues the next attempt for a free request slot. */
  void start() {
    deliveries.slots().submit(this::send);
  }

  /** Stops retrying: the publisher is closing. */
  synchronized void abandon() {
    if (nextAttempt != null) {
      nextAttempt.cancel(false);
    }
    giveUp("the publisher closed before the collector acknowledged it");
  }

  private void send() {
    long remaining = deadline - System.nanoTime();
    if (result.isDone() || remaining <= 0) {
      deliveries.slots().release();
      giveUp("the time budget is spent");
      return;
    }
    attempts++;
    Duration timeout = deliveries.requestTimeout();
    if (timeout.toNanos() > remaining) {
      timeout = Duration.ofNanos(remaining);
    }
    CompletableFuture<HttpResponse<byte[]>> answer;
    try {
      answer = deliveries.endpoint().send(body, timeout);
    } catch (RuntimeException e) {
      answer = CompletableFuture.failedFuture(e);
    }
    answer.whenComplete(
        (response, failure) -> {
          deliveries.slots().release();
          try {
            if (failure != null) {
              onFailure(failure);
            } else {
              onAnswer(response);
            }
          } catch (RuntimeException | Error e) {
            result.completeExceptionally(e); // A defect: let the caller see it.
          }
        });
  }

  private void onAnswer(HttpResponse<byte[]> response) {
    int status = response.statusCode();
    lastStatus = status;
    switch (CollectorAnswer.verdict(status)) {
      case ACCEPTED -> {
        deliveries.spool().remove(id);
        CollectorAnswer.Acknowledgement ack = CollectorAnswer.Acknowledgement.of(response.body());
        result.complete(PublishResult.accepted(id, ack.accepted(), ack.duplicates(), attempts));
      }
      case REFUSED -> {
        deliveries.spool().remove(id);
        String detail = CollectorAnswer.describe(status, response.body());
        LOG.warn("the collector refused envelope {}: {}", id, detail);
        result.complete(
            PublishResult.refused(
                id, status, detail, CollectorAnswer.errors(status, response.body()), attempts));
      }
      case RETRY -> {
        lastProblem = CollectorAnswer.describe(status, response.body());
        Duration asked = Duration.ZERO;
        if (CollectorAnswer.honoursRetryAfter(status)) {
          asked =
              response
                  .headers()
                  .firstValue("Retry-After")
                  .flatMap(value -> RetryAfter.parse(value, deliveries.clock()))
                  .orElse(Duration.ZERO);
        }
        retry(asked);
      }
    }
  }

  private void onFailure(Throwable failure) {
    Throwable cause = failure instanceof CompletionException ? failure.getCause() : failure;
    String message = cause.getMessage();
    lastProblem = cause.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    retry(Duration.ZERO);
  }

  /** Waits at least {@code asked}, and at least the back-off's draw, then tries again. */
  private synchronized void retry(Duration asked) {
    if (result.isDone()) {
      return;
    }
    Duration drawn = deliveries.backoff().after(attempts);
    boolean askedLonger = asked.compareTo(drawn) > 0;
    Duration wait = askedLonger ? asked : drawn;
    if (wait.compareTo(Duration.ofNanos(deadline - System.nanoTime())) >= 0) {
      giveUp(
          askedLonger
              ? "the collector asked to wait " + asked.toSeconds() + " s, beyond the time budget"
              : "the time budget is spent");
      return;
    }
    LOG.debug("envelope {}: attempt {} failed ({}); next in {}", id, attempts, lastProblem, wait);
    try {
      nextAttempt =
          deliveries.scheduler().schedule(this::start, wait.toNanos(), TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException e) {
      giveUp("the publisher closed before the collector acknowledged it");
    }
  }

  private void giveUp(String reason) {
    if (result.isDone()) {
      return;
    }
    boolean spooled = deliveries.spool().contains(id);
    String detail =
        reason
            + " ("
            + attempts
            + (attempts == 1 ? " attempt" : " attempts")
            + (attempts == 0 ? "" : ", last: " + lastProblem)
            + (spooled ? "); kept in the spool" : "); given up");
    if (result.complete(PublishResult.givenUp(id, spooled, lastStatus, detail, attempts))) {
      LOG.warn("envelope {}: {}", id, detail);
    }
  }
}

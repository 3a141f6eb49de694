package com.suse.telemetry.app;

import com.suse.telemetry.core.TelemetryException;
import com.suse.telemetry.core.spi.StoreUnavailableException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Retries a start-up step while what it needs cannot be reached yet, as when an orchestrator starts
 * the database and the collector together: with back-off (1 s doubling to 8 s), one log line per
 * attempt, up to the start-up timeout. Any other failure ends the wait at once. Thread-safe: {@link
 * #cancel()} ends a wait from another thread (a stop asked for while starting).
 */
final class StartupWait {

  private static final Logger LOG = LoggerFactory.getLogger(StartupWait.class);
  private static final Duration FIRST_PAUSE = Duration.ofSeconds(1);
  private static final Duration LONGEST_PAUSE = Duration.ofSeconds(8);

  private final Duration timeout;
  private final CountDownLatch cancelled = new CountDownLatch(1);

  StartupWait(Duration timeout) {
    this.timeout = timeout;
  }

  /**
   * Runs {@code step} until it succeeds, trying again while it fails with {@link
   * StoreUnavailableException}.
   *
   * @param what what the step waits for, for the log
   * @throws TelemetryException when the timeout passed, the wait was cancelled, or the step failed
   *     otherwise
   */
  void until(String what, Runnable step) {
    long start = System.nanoTime();
    Duration pause = FIRST_PAUSE;
    for (int attempt = 1; ; attempt++) {
      try {
        step.run();
        if (attempt > 1) {
          LOG.info("{} answered after {} attempt(s)", what, attempt);
        }
        return;
      } catch (StoreUnavailableException e) {
        Duration waited = Duration.ofNanos(System.nanoTime() - start);
        Duration left = timeout.minus(waited);
        if (left.isNegative() || left.isZero()) {
          throw new TelemetryException(
              what
                  + " did not answer within "
                  + timeout.toSeconds()
                  + " s ("
                  + attempt
                  + " attempts): "
                  + e.getMessage());
        }
        Duration next = pause.compareTo(left) < 0 ? pause : left;
        LOG.warn(
            "Waiting for {} (attempt {}, {} s of {} s): {}; trying again in {} s",
            what,
            attempt,
            waited.toSeconds(),
            timeout.toSeconds(),
            e.getMessage(),
            Math.max(1, next.toSeconds()));
        sleep(next);
        pause =
            pause.multipliedBy(2).compareTo(LONGEST_PAUSE) < 0
                ? pause.multipliedBy(2)
                : LONGEST_PAUSE;
      }
    }
  }

  private void sleep(Duration pause) {
    try {
      if (cancelled.await(pause.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new TelemetryException("the collector was stopped while starting");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TelemetryException("the collector was stopped while starting");
    }
  }

  /** Ends a wait in progress, and any later one, at once. */
  void cancel() {
    cancelled.countDown();
  }

  boolean isCancelled() {
    return cancelled.getCount() == 0;
  }
}

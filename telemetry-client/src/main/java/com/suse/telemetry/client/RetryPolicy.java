package com.suse.telemetry.client;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * How long and how often a publisher tries to deliver one envelope. Between attempts it waits a
 * random time between zero and {@code min(maxBackoff, initialBackoff * 2^(attempt - 1))} ("full
 * jitter", so that many sources turned away at once do not come back at once), and at least as long
 * as the collector's {@code Retry-After} asks. Once {@code timeBudget} has passed since the first
 * attempt, or when the next wait would end after it, the publisher stops trying: the envelope stays
 * in the spool, if there is one, for a later attempt.
 *
 * @param initialBackoff the upper bound of the first wait; more than zero
 * @param maxBackoff the cap on any wait drawn by the back-off; at least {@code initialBackoff}
 * @param timeBudget the total time spent delivering one envelope, waits included; more than zero
 */
public record RetryPolicy(Duration initialBackoff, Duration maxBackoff, Duration timeBudget) {

  /** Checks that every duration is positive and the cap is not below the first wait. */
  public RetryPolicy {
    requirePositive(initialBackoff, "initialBackoff");
    requirePositive(maxBackoff, "maxBackoff");
    requirePositive(timeBudget, "timeBudget");
    if (maxBackoff.compareTo(initialBackoff) < 0) {
      throw new IllegalArgumentException(
          "maxBackoff ("
              + maxBackoff
              + ") must not be below initialBackoff ("
              + initialBackoff
              + ")");
    }
  }

  /** One second first, waits capped at one minute, ten minutes in all. */
  public static RetryPolicy defaults() {
    return new RetryPolicy(Duration.ofSeconds(1), Duration.ofMinutes(1), Duration.ofMinutes(10));
  }

  /** This policy with another first wait. */
  public RetryPolicy withInitialBackoff(Duration initialBackoff) {
    return new RetryPolicy(initialBackoff, maxBackoff, timeBudget);
  }

  /** This policy with another cap on waits. */
  public RetryPolicy withMaxBackoff(Duration maxBackoff) {
    return new RetryPolicy(initialBackoff, maxBackoff, timeBudget);
  }

  /** This policy with another total time per envelope. */
  public RetryPolicy withTimeBudget(Duration timeBudget) {
    return new RetryPolicy(initialBackoff, maxBackoff, timeBudget);
  }

  private static void requirePositive(Duration duration, String name) {
    requireNonNull(duration, name);
    if (duration.isNegative() || duration.isZero()) {
      throw new IllegalArgumentException(name + " must be more than zero, was " + duration);
    }
  }
}

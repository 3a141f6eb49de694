package com.suse.telemetry.client;

import java.time.Duration;
import java.util.function.DoubleSupplier;

/** Draws the wait before a retry: exponential growth, a cap, and full jitter. */
final class Backoff {

  private final long initialNanos;
  private final long maxNanos;
  private final DoubleSupplier random;

  /** A back-off for {@code policy}, drawing from {@code random}: uniform doubles in [0, 1). */
  Backoff(RetryPolicy policy, DoubleSupplier random) {
    this.initialNanos = policy.initialBackoff().toNanos();
    this.maxNanos = policy.maxBackoff().toNanos();
    this.random = random;
  }

  /** The wait after the {@code attempt}-th failed attempt (1 for the first). */
  Duration after(int attempt) {
    return Duration.ofNanos((long) (random.getAsDouble() * bound(attempt).toNanos()));
  }

  /** The longest wait {@link #after} can draw for {@code attempt}. */
  Duration bound(int attempt) {
    // Doubling stops at the cap, which also keeps it from overflowing.
    long bound = initialNanos;
    for (int i = 1; i < attempt && bound < maxNanos; i++) {
      bound = bound > maxNanos / 2 ? maxNanos : bound * 2;
    }
    return Duration.ofNanos(Math.min(bound, maxNanos));
  }
}

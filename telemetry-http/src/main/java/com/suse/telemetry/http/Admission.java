package com.suse.telemetry.http;

import com.netflix.concurrency.limits.Limiter;
import com.netflix.concurrency.limits.limit.FixedLimit;
import com.netflix.concurrency.limits.limit.Gradient2Limit;
import com.netflix.concurrency.limits.limiter.SimpleLimiter;
import java.util.Optional;

/**
 * The places for submissions in flight: a submission holds one while the collector works on it
 * (decoding, validating, committing), never while its client sends the body. When none is free, the
 * submission is turned away with 503, so that the work queued stays bounded.
 *
 * <p>Adaptive by default (Netflix's concurrency-limits, gradient algorithm): the number of places
 * follows the time submissions take, growing while it stays near its best and shrinking as it
 * rises, so that under overload the collector sheds the excess instead of queueing it (which would
 * only make every accepted submission slower), never beyond the configured maximum. Thread-safe.
 */
final class Admission {

  private final SimpleLimiter<Void> limiter;

  Admission(HttpSettings.AdmissionLimits limits) {
    int most = limits.maxInFlight();
    this.limiter =
        SimpleLimiter.newBuilder()
            .limit(
                // Starting at the most and never below half of it: commits are shared, so
                // the time of one submission grows with those in flight even when nothing
                // queues; a limit free to fall further (it fell to 10 of 64 under a
                // closed-loop load here) costs more throughput than the shedding saves.
                limits.adaptive()
                    ? Gradient2Limit.newBuilder()
                        .initialLimit(most)
                        .minLimit(Math.max(1, most / 2))
                        .rttTolerance(2.0)
                        .maxConcurrency(most)
                        .build()
                    : FixedLimit.of(most))
            .build();
  }

  /** A place, if one is free now. */
  Optional<Place> tryEnter() {
    return limiter.acquire(null).map(Place::new);
  }

  /** Places taken now. */
  int inFlight() {
    return limiter.getInflight();
  }

  /** Places there are now (the adaptive limit). */
  int limit() {
    return limiter.getLimit();
  }

  /** A place taken: given back once the work it stood for is done. */
  static final class Place {

    private final Limiter.Listener listener;

    private Place(Limiter.Listener listener) {
      this.listener = listener;
    }

    /** The work is done: its time counts towards the limit. */
    void done() {
      listener.onSuccess();
    }

    /** The work ended for a reason that says nothing of load (the store was unreachable). */
    void ignored() {
      listener.onIgnore();
    }
  }
}

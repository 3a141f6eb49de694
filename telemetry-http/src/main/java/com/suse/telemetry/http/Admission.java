package com.suse.telemetry.http;

import java.util.concurrent.Semaphore;

/**
 * The places for submissions in flight: a submission holds one while the collector works on it
 * (decoding, validating, committing), never while its client sends the body. When none is free, the
 * submission is turned away with 503, so that the work queued stays bounded. Thread-safe.
 */
final class Admission {

  private final Semaphore places;

  Admission(int places) {
    this.places = new Semaphore(places);
  }

  /** Takes a place if one is free now. */
  boolean tryEnter() {
    return places.tryAcquire();
  }

  /** Places free now. */
  int free() {
    return places.availablePermits();
  }

  /** Gives back a place taken by {@link #tryEnter()}. */
  void leave() {
    places.release();
  }
}

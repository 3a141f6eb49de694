package com.suse.telemetry.http;

import java.util.concurrent.Semaphore;

/**
 * Bounds the bytes of request bodies held in memory at once, over all requests. Bodies take their
 * share as they are read, and give it back when the request ends, so that an overload turns clients
 * away instead of exhausting the heap. Thread-safe.
 */
final class MemoryBudget {

  private static final int UNIT = 1024;
  private final int total;
  private final Semaphore kibibytes;

  MemoryBudget(long bytes) {
    this.total = (int) Math.min(Integer.MAX_VALUE, bytes / UNIT);
    this.kibibytes = new Semaphore(total);
  }

  /** Bytes held by bodies now. */
  long used() {
    return (long) (total - kibibytes.availablePermits()) * UNIT;
  }

  /** A share of the budget for one request; close it to give back what it took. */
  Lease lease() {
    return new Lease();
  }

  final class Lease implements AutoCloseable {
    private int held;

    /** Takes room for {@code bytes} more; false if the budget has none left now. */
    boolean take(long bytes) {
      int units = (int) ((bytes + UNIT - 1) / UNIT);
      if (!kibibytes.tryAcquire(units)) {
        return false;
      }
      held += units;
      return true;
    }

    @Override
    public void close() {
      kibibytes.release(held);
      held = 0;
    }
  }
}

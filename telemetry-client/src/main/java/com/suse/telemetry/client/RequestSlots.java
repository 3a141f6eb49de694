package com.suse.telemetry.client;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;

/**
 * Bounds how many requests a publisher has on the wire at once, so that a full spool sent after a
 * restart does not arrive as one burst; the others wait their turn, in order, holding no thread.
 */
final class RequestSlots {

  private final Semaphore free;
  private final Queue<Runnable> waiting = new ConcurrentLinkedQueue<>();

  RequestSlots(int slots) {
    this.free = new Semaphore(slots);
  }

  /**
   * Runs {@code request} once a slot is free, perhaps at once on this thread. The request must call
   * {@link #release()} exactly once, when it is done.
   */
  void submit(Runnable request) {
    waiting.add(request);
    drain();
  }

  /** Frees the slot of a request that is done, and starts the next waiting one. */
  void release() {
    free.release();
    drain();
  }

  private void drain() {
    // Both sides queue or free first and look second, so no request is left waiting unseen.
    while (!waiting.isEmpty() && free.tryAcquire()) {
      Runnable next = waiting.poll();
      if (next == null) {
        free.release();
      } else {
        next.run();
      }
    }
  }
}

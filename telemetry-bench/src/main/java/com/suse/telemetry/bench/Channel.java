package com.suse.telemetry.bench;

import java.time.Duration;

/**
 * Where a load worker sends its requests: a kept-alive HTTP connection, or a JDBC connection. Each
 * worker has one of its own, so a channel need not be thread-safe.
 */
interface Channel<R> extends AutoCloseable {

  /** Sends {@code request} and waits for its answer; a failure is an outcome, not an exception. */
  Outcome send(R request);

  /**
   * How long the last answer asked the sender to wait before sending again ({@code Retry-After}):
   * zero unless it shed the request.
   */
  default Duration retryAfter() {
    return Duration.ZERO;
  }

  @Override
  void close();
}

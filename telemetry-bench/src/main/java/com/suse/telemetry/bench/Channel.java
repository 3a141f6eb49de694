package com.suse.telemetry.bench;

/**
 * Where a load worker sends its requests: a kept-alive HTTP connection, or a JDBC connection. Each
 * worker has one of its own, so a channel need not be thread-safe.
 */
interface Channel<R> extends AutoCloseable {

  /** Sends {@code request} and waits for its answer; a failure is an outcome, not an exception. */
  Outcome send(R request);

  @Override
  void close();
}

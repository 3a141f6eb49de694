package com.suse.telemetry.bench;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/** Drives load at a server: closed loop (saturating) and open loop (fixed arrival rate). */
final class Load {

  private Load() {}

  /**
   * What a run measured.
   *
   * @param seconds measured duration
   * @param accepted answers 202
   * @param refused answers 503, all with Retry-After
   * @param refusedWithoutRetryAfter answers 503 without Retry-After
   * @param other any other answer, or a broken connection
   * @param latenciesMicros latency of every request, from its intended start
   */
  record Result(
      double seconds,
      long accepted,
      long refused,
      long refusedWithoutRetryAfter,
      long other,
      long[] latenciesMicros) {

    double acceptedPerSecond() {
      return accepted / seconds;
    }

    /** The {@code q} quantile of latency, in milliseconds. */
    double latencyMillis(double q) {
      if (latenciesMicros.length == 0) {
        return Double.NaN;
      }
      int index =
          (int) Math.min(latenciesMicros.length - 1, Math.ceil(q * latenciesMicros.length) - 1);
      return latenciesMicros[Math.max(0, index)] / 1000.0;
    }
  }

  private static final class Counters {
    final AtomicLong accepted = new AtomicLong();
    final AtomicLong refused = new AtomicLong();
    final AtomicLong refusedWithoutRetryAfter = new AtomicLong();
    final AtomicLong other = new AtomicLong();
    final List<long[]> latencies = new ArrayList<>();

    void count(HttpConnection.Response response) {
      if (response.status() == 202) {
        accepted.incrementAndGet();
      } else if (response.status() == 503) {
        (response.retryAfter() ? refused : refusedWithoutRetryAfter).incrementAndGet();
      } else {
        other.incrementAndGet();
      }
    }

    Result result(double seconds) {
      long[] all = latencies.stream().flatMapToLong(Arrays::stream).toArray();
      Arrays.sort(all);
      return new Result(
          seconds, accepted.get(), refused.get(), refusedWithoutRetryAfter.get(), other.get(), all);
    }
  }

  /**
   * {@code clients} connections each sending the next request as soon as the previous answer came,
   * for {@code warmup} then {@code seconds}; only the latter counts.
   */
  static Result closedLoop(
      int port, Supplier<byte[]> requests, int clients, double warmup, double seconds)
      throws InterruptedException {
    long start = System.nanoTime();
    long measureFrom = start + (long) (warmup * 1e9);
    long end = measureFrom + (long) (seconds * 1e9);
    Counters counters = new Counters();
    List<Thread> threads = new ArrayList<>();
    for (int c = 0; c < clients; c++) {
      long[] latencies = new long[1 << 16];
      int[] count = {0};
      Thread thread =
          new Thread(
              () -> {
                try (HttpConnection connection = new HttpConnection("127.0.0.1", port)) {
                  while (System.nanoTime() < end) {
                    byte[] request = requests.get();
                    long sent = System.nanoTime();
                    HttpConnection.Response response;
                    try {
                      response = connection.send(request);
                    } catch (IOException e) {
                      response = new HttpConnection.Response(-1, false);
                    }
                    long done = System.nanoTime();
                    if (sent >= measureFrom && done <= end) {
                      counters.count(response);
                      if (count[0] < latencies.length) {
                        latencies[count[0]++] = (done - sent) / 1000;
                      }
                    }
                  }
                }
                synchronized (counters) {
                  counters.latencies.add(Arrays.copyOf(latencies, count[0]));
                }
              });
      thread.start();
      threads.add(thread);
    }
    for (Thread thread : threads) {
      thread.join();
    }
    return counters.result(seconds);
  }

  /**
   * Requests at a fixed {@code rate} per second for {@code seconds}, each latency measured from
   * when the request was due, not when a connection was free to send it, so that a stalled server
   * cannot hide its stall (no coordinated omission). {@code workers} connections send.
   */
  static Result openLoop(
      int port, Supplier<byte[]> requests, double rate, int workers, double seconds)
      throws InterruptedException {
    long start = System.nanoTime() + 50_000_000L;
    long total = (long) (rate * seconds);
    double interval = 1e9 / rate;
    AtomicLong next = new AtomicLong();
    Counters counters = new Counters();
    // One slot per request: each is due once, and its index is its slot.
    long[] latencies = new long[(int) total];
    List<Thread> threads = new ArrayList<>();
    for (int w = 0; w < workers; w++) {
      Thread thread =
          new Thread(
              () -> {
                try (HttpConnection connection = new HttpConnection("127.0.0.1", port)) {
                  for (long i = next.getAndIncrement(); i < total; i = next.getAndIncrement()) {
                    long due = start + (long) (i * interval);
                    long wait = due - System.nanoTime();
                    if (wait > 0) {
                      LockSupport.parkNanos(wait);
                    }
                    byte[] request = requests.get();
                    HttpConnection.Response response;
                    try {
                      response = connection.send(request);
                    } catch (IOException e) {
                      response = new HttpConnection.Response(-1, false);
                    }
                    counters.count(response);
                    latencies[(int) i] = (System.nanoTime() - due) / 1000;
                  }
                }
              });
      thread.start();
      threads.add(thread);
    }
    for (Thread thread : threads) {
      thread.join();
    }
    counters.latencies.add(latencies);
    double elapsed = (System.nanoTime() - start) / 1e9;
    return counters.result(Math.max(seconds, elapsed));
  }
}

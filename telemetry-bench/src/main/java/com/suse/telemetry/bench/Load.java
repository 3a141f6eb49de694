package com.suse.telemetry.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import org.HdrHistogram.Histogram;

/**
 * Drives load through channels: closed loop (saturating) and open loop (a fixed arrival rate).
 * Every worker records into histograms of its own, merged when the run is over.
 */
final class Load {

  private Load() {}

  /** What one worker saw. */
  private static final class Worker {
    final Histogram accepted = Latency.recorder();
    final Histogram all = Latency.recorder();
    final long[] outcomes = new long[Outcome.values().length];

    void record(Outcome outcome, long nanos) {
      long micros = nanos / 1000;
      outcomes[outcome.ordinal()]++;
      all.recordValue(micros);
      if (outcome == Outcome.ACCEPTED) {
        accepted.recordValue(micros);
      }
    }
  }

  /**
   * {@code clients} channels each sending the next request as soon as the previous answer came, for
   * {@code warmup} then {@code seconds} seconds; the answers that came in the latter count, with
   * their latencies from when they were sent. A client turned away waits as long as the answer's
   * {@code Retry-After} asks before it sends again, as a source does: a client that sent again at
   * once would measure how fast the server refuses, and take the CPU it needs for the others. The
   * processors' use is read from {@code cpu} over the whole run, warm-up included.
   */
  static <R> LoadResult closedLoop(
      Supplier<? extends Channel<R>> channels,
      Supplier<R> requests,
      int clients,
      double warmup,
      double seconds,
      Supplier<CpuTicks> cpu)
      throws InterruptedException {
    AtomicLong start = new AtomicLong();
    Workers workers =
        run(
            channels,
            clients,
            (channel, worker) -> {
              long measureFrom = start.get() + nanos(warmup);
              long end = measureFrom + nanos(seconds);
              while (System.nanoTime() < end) {
                R request = requests.get();
                long sent = System.nanoTime();
                Outcome outcome = channel.send(request);
                long done = System.nanoTime();
                if (done >= measureFrom && done <= end) {
                  worker.record(outcome, done - sent);
                }
                if (outcome == Outcome.SHED) {
                  parkUntil(Math.min(end, done + channel.retryAfter().toNanos()));
                }
              }
            },
            start,
            cpu);
    return result(workers, seconds);
  }

  /**
   * Requests at a fixed {@code rate} per second for {@code seconds}, sent by {@code workers}
   * channels. Each latency is measured from when the request was due, not from when a channel was
   * free to send it, so that a stalled server cannot hide its stall (no coordinated omission).
   * Requests are prepared before they are due, so that preparing them is off the clock. The
   * processors' use is read from {@code cpu}.
   */
  static <R> LoadResult openLoop(
      Supplier<? extends Channel<R>> channels,
      Supplier<R> requests,
      double rate,
      int workers,
      double seconds,
      Supplier<CpuTicks> cpu)
      throws InterruptedException {
    return openLoop(
        channels, requests, rate, workers, seconds, cpu, CompletableFuture.completedFuture(null));
  }

  /**
   * As {@link #openLoop(Supplier, Supplier, double, int, double, Supplier)}, going on past {@code
   * seconds} at the same rate until {@code until} is done: a window that must hold an event of
   * unknown length, such as a command run beside the load.
   */
  static <R> LoadResult openLoop(
      Supplier<? extends Channel<R>> channels,
      Supplier<R> requests,
      double rate,
      int workers,
      double seconds,
      Supplier<CpuTicks> cpu,
      Future<?> until)
      throws InterruptedException {
    if (!(rate > 0)) {
      // Nothing to send; the window still lasts as long.
      long begin = System.nanoTime();
      CpuTicks before = cpu.get();
      awaitQuietly(until);
      long rest = begin + nanos(seconds) - System.nanoTime();
      if (rest > 0) {
        Thread.sleep(rest / 1_000_000, (int) (rest % 1_000_000));
      }
      return result(
          new Workers(List.of(), cpu.get().since(before)),
          Math.max(seconds, (System.nanoTime() - begin) / 1e9));
    }
    long total = (long) (rate * seconds);
    double interval = 1e9 / rate;
    AtomicLong next = new AtomicLong();
    AtomicLong start = new AtomicLong();
    Workers recorded =
        run(
            channels,
            workers,
            (channel, worker) -> {
              for (long i = next.getAndIncrement();
                  i < total || !until.isDone();
                  i = next.getAndIncrement()) {
                R request = requests.get();
                long due = start.get() + (long) (i * interval);
                parkUntil(due);
                Outcome outcome = channel.send(request);
                worker.record(outcome, System.nanoTime() - due);
              }
            },
            start,
            cpu);
    double elapsed = (System.nanoTime() - start.get()) / 1e9;
    return result(recorded, Math.max(seconds, elapsed));
  }

  /** Waits until {@link System#nanoTime()} reaches {@code deadline}. */
  private static void parkUntil(long deadline) {
    for (long wait = deadline - System.nanoTime(); wait > 0; wait = deadline - System.nanoTime()) {
      LockSupport.parkNanos(wait);
    }
  }

  private static void awaitQuietly(Future<?> until) throws InterruptedException {
    try {
      until.get();
    } catch (ExecutionException e) {
      // Whoever made it reads its failure; the window is over either way.
    }
  }

  /** What every worker saw, and how busy the machine was meanwhile. */
  private record Workers(List<Worker> each, CpuUse cpu) {}

  private interface Task<R> {
    void run(Channel<R> channel, Worker worker);
  }

  /**
   * Opens {@code count} channels first (so that connecting is not measured), sets {@code start} to
   * just after, runs {@code task} on each channel in a thread of its own, and closes them; reads
   * {@code cpu} before and after the tasks.
   */
  private static <R> Workers run(
      Supplier<? extends Channel<R>> channels,
      int count,
      Task<R> task,
      AtomicLong start,
      Supplier<CpuTicks> cpu)
      throws InterruptedException {
    List<Channel<R>> opened = new ArrayList<>(count);
    ExecutorService threads = Executors.newFixedThreadPool(count);
    try {
      for (int i = 0; i < count; i++) {
        opened.add(channels.get());
      }
      start.set(System.nanoTime() + 20_000_000L);
      CpuTicks before = cpu.get();
      List<Worker> workers = new ArrayList<>(count);
      List<Future<?>> running = new ArrayList<>(count);
      for (Channel<R> channel : opened) {
        Worker worker = new Worker();
        workers.add(worker);
        running.add(threads.submit(() -> task.run(channel, worker)));
      }
      for (Future<?> thread : running) {
        thread.get();
      }
      return new Workers(workers, cpu.get().since(before));
    } catch (ExecutionException e) {
      throw new IllegalStateException("a load worker failed", e.getCause());
    } finally {
      threads.shutdownNow();
      opened.forEach(Channel::close);
    }
  }

  private static LoadResult result(Workers workers, double seconds) {
    Histogram accepted = Latency.recorder();
    Histogram all = Latency.recorder();
    long[] outcomes = new long[Outcome.values().length];
    for (Worker worker : workers.each()) {
      accepted.add(worker.accepted);
      all.add(worker.all);
      for (int i = 0; i < outcomes.length; i++) {
        outcomes[i] += worker.outcomes[i];
      }
    }
    return new LoadResult(
        seconds, Tally.of(outcomes), Latency.of(accepted), Latency.of(all), workers.cpu());
  }

  private static long nanos(double seconds) {
    return (long) (seconds * 1e9);
  }
}

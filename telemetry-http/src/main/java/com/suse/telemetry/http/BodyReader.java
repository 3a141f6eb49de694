package com.suse.telemetry.http;

import io.javalin.http.Context;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Receives request bodies without holding a thread while a client sends them: the container calls
 * back as bytes arrive (servlet non-blocking reads), so a slow client costs a connection and the
 * bytes it sent, never a server thread or a place among the submissions in flight. A body must
 * arrive within the timeout and, after a short grace, at the minimum average rate; otherwise it is
 * answered 408 and its connection closed. Thread-safe.
 */
final class BodyReader implements AutoCloseable {

  private static final int CHUNK = 8 * 1024;

  /** At most this much of a refused body is read and dropped (as Tomcat's maxSwallowSize). */
  private static final long SWALLOW_LIMIT = 2L << 20;

  private static final Duration CHECK_INTERVAL = Duration.ofMillis(500);

  private final HttpSettings.BodyLimits limits;
  private final Executor callbacks;
  private final ScheduledThreadPoolExecutor clock;

  /**
   * @param callbacks where a body that failed its deadline is answered (a server thread pool)
   */
  BodyReader(HttpSettings.BodyLimits limits, Executor callbacks) {
    this.limits = limits;
    this.callbacks = callbacks;
    this.clock =
        new ScheduledThreadPoolExecutor(
            1,
            task -> {
              Thread thread = new Thread(task, "body-deadlines");
              thread.setDaemon(true);
              return thread;
            });
    clock.setRemoveOnCancelPolicy(true);
  }

  /**
   * Receives {@code ctx}'s body as sent, within the size on the wire, taking its memory from {@code
   * lease}. Call it once the request is asynchronous (from {@link Context#future}'s supplier).
   *
   * @return the body; or a failure with a {@link Problem} (408, 413, 503 when the memory budget is
   *     spent) or, when the client went away, with its exception
   */
  CompletableFuture<byte[]> read(Context ctx, MemoryBudget.Lease lease, Problem overloaded) {
    long declared = ctx.req().getContentLengthLong();
    int capacity = declared < 0 ? CHUNK : (int) Math.min(declared, limits.maxBytes() + 1);
    return start(ctx, new Reception(lease, capacity, limits.maxBytes(), overloaded));
  }

  /**
   * Reads and drops what is left of a refused request's body, up to {@link #SWALLOW_LIMIT} bytes,
   * so that the client reads the answer instead of a reset (a client still sending when the server
   * closes the connection is sent a reset that can destroy the answer), and the connection can be
   * kept. A longer body, or one that comes too slowly, is cut off: the answer then closes the
   * connection. Never fails.
   */
  CompletableFuture<Void> discard(Context ctx) {
    return start(ctx, new Reception(null, 0, SWALLOW_LIMIT, null))
        .handle(
            (body, failure) -> {
              if (failure != null) {
                ctx.header("Connection", "close");
              }
              return null;
            });
  }

  private CompletableFuture<byte[]> start(Context ctx, Reception reception) {
    if (reception.result.isDone()) {
      return reception.result;
    }
    try {
      reception.in = ctx.req().getInputStream();
      reception.in.setReadListener(reception);
      reception.watch();
    } catch (IOException | RuntimeException e) {
      reception.fail(e);
    }
    return reception.result;
  }

  /** Stops watching deadlines; bodies still arriving are cut off by the server's own stop. */
  @Override
  public void close() {
    clock.shutdownNow();
  }

  /** One body arriving: read as the container says bytes are there, watched for its deadline. */
  private final class Reception implements ReadListener {

    private final MemoryBudget.Lease lease;
    private final long limit;
    private final Problem overloaded;
    private final long started = System.nanoTime();
    private final AtomicBoolean over = new AtomicBoolean();
    private final CompletableFuture<byte[]> result = new CompletableFuture<>();
    private ServletInputStream in;
    private byte[] buffer;
    private int size;
    private volatile long received;
    private volatile ScheduledFuture<?> check;

    /** Keeps the bytes when {@code lease} is given, else drops them. */
    Reception(MemoryBudget.Lease lease, int capacity, long limit, Problem overloaded) {
      this.lease = lease;
      this.limit = limit;
      this.overloaded = overloaded;
      this.buffer = new byte[lease == null ? CHUNK : 0];
      if (lease != null && !grow(capacity)) {
        fail(overloaded);
      }
    }

    @Override
    public void onDataAvailable() throws IOException {
      while (!over.get() && in.isReady()) {
        int read;
        if (lease != null && size == buffer.length) {
          // Full, as when the body came with its Content-Length: usually its end, which a read of
          // one byte finds without growing the buffer (and copying the body) first.
          int next = in.read();
          if (next < 0) {
            return;
          }
          if (!grow((int) Math.min(limit + 1, Math.max(CHUNK, 2L * size)))) {
            fail(overloaded);
            return;
          }
          buffer[size] = (byte) next;
          read = 1;
        } else {
          int offset = lease == null ? 0 : size;
          read = in.read(buffer, offset, buffer.length - offset);
          if (read < 0) {
            return;
          }
        }
        received += read;
        if (lease != null) {
          size += read;
        }
        if (received > limit) {
          fail(lease == null ? Problem.tooLarge("not read") : tooLarge());
          return;
        }
      }
    }

    @Override
    public void onAllDataRead() {
      if (over.compareAndSet(false, true)) {
        stopWatching();
        result.complete(
            lease == null || size == buffer.length ? buffer : Arrays.copyOf(buffer, size));
      }
    }

    @Override
    public void onError(Throwable failure) {
      fail(failure);
    }

    /** {@code buffer} grown to {@code capacity}, the growth taken from the memory budget. */
    private boolean grow(int capacity) {
      if (!lease.take(capacity - buffer.length)) {
        return false;
      }
      buffer = Arrays.copyOf(buffer, capacity);
      return true;
    }

    private Problem tooLarge() {
      return Problem.tooLarge("the body is larger than " + limit + " bytes as sent");
    }

    void fail(Throwable failure) {
      if (over.compareAndSet(false, true)) {
        stopWatching();
        result.completeExceptionally(failure);
      }
    }

    /** Checks the deadline and the rate from time to time until the body is in. */
    void watch() {
      if (!over.get()) {
        long first =
            Math.min(limits.timeout().toNanos(), HttpSettings.BodyLimits.RATE_GRACE.toNanos());
        check = clock.schedule(this::checkPace, first, TimeUnit.NANOSECONDS);
        if (over.get()) {
          stopWatching();
        }
      }
    }

    private void checkPace() {
      if (over.get()) {
        return;
      }
      long elapsed = System.nanoTime() - started;
      Problem late = null;
      if (elapsed >= limits.timeout().toNanos()) {
        late =
            Problem.requestTimeout(
                "the body did not arrive within " + limits.timeout().toSeconds() + " s");
      } else if (limits.minBytesPerSecond() > 0
          && elapsed >= HttpSettings.BodyLimits.RATE_GRACE.toNanos()
          && received < limits.minBytesPerSecond() * (elapsed / 1e9)) {
        late =
            Problem.requestTimeout(
                "the body arrived slower than " + limits.minBytesPerSecond() + " bytes per second");
      }
      if (late != null) {
        Problem answer = late;
        try {
          // Answered on a server thread: this one only keeps time.
          callbacks.execute(() -> fail(answer));
        } catch (RejectedExecutionException stopping) {
          fail(answer);
        }
        return;
      }
      long next = Math.min(CHECK_INTERVAL.toNanos(), limits.timeout().toNanos() - elapsed);
      check = clock.schedule(this::checkPace, Math.max(1, next), TimeUnit.NANOSECONDS);
    }

    private void stopWatching() {
      ScheduledFuture<?> scheduled = check;
      if (scheduled != null) {
        scheduled.cancel(false);
      }
    }
  }
}

package com.suse.telemetry.client;

import static java.util.Objects.requireNonNull;

import com.suse.telemetry.core.TelemetryException;
import com.suse.telemetry.core.TelemetryTypeRegistry;
import com.suse.telemetry.core.TelemetryValidator;
import com.suse.telemetry.core.ValidationResult;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Publishes telemetry to a collector. Each payload is validated locally first, against the same
 * telemetry types the collector knows, so a source learns of a schema violation in its own tests
 * rather than from a 400 in production. A valid payload is wrapped in an envelope with a fresh
 * {@code id} and the current time, gzipped, and POSTed to {@code <collector>/api/v1/telemetry}.
 *
 * <p>Retries cannot duplicate: every attempt sends the same bytes with the same id, which the
 * collector stores once. Waits between attempts grow exponentially with full jitter up to a cap,
 * and last at least as long as a 429's or 503's {@code Retry-After}; failed connections and
 * timeouts are retried; a 4xx such as 400, 401, 403, 413 or 415 is not, and its problem's errors
 * come back in the result. Each envelope gets a bounded total time ({@link RetryPolicy}).
 *
 * <p>With a spool directory, each envelope is written to disk (and forced) before it is first sent,
 * and removed once acknowledged or refused. What is left, because the time budget ran out or the
 * process stopped, is sent again with the same ids: by {@link #resendSpooled()}, after the
 * collector next acknowledges an envelope, and by the next publisher opened on the directory. The
 * spool's size is bounded; when full, the oldest envelopes are dropped and counted ({@link
 * #spoolStatus()}). One publisher at a time may own a spool directory.
 *
 * <p>Thread-safe: share one publisher. Results complete on the publisher's threads; do not block in
 * actions chained to them. {@link #close()} waits a while for deliveries under way.
 *
 * <pre>{@code
 * try (TelemetryPublisher publisher =
 *     TelemetryPublisher.builder(URI.create("https://telemetry.example.com"))
 *         .spoolDirectory(Path.of("/var/spool/my-product/telemetry"))
 *         .build()) {
 *   PublishResult result = publisher.publish("sles", "system_profile", 1, payloadJson);
 *   if (!result.isAccepted()) {
 *     System.err.println(result);
 *   }
 * }
 * }</pre>
 */
public final class TelemetryPublisher implements AutoCloseable {

  private final TelemetryValidator validator;
  private final Clock clock;
  private final Spool spool;
  private final ScheduledThreadPoolExecutor scheduler;
  private final Deliveries deliveries;
  private final Duration closeTimeout;
  private final AtomicBoolean closed = new AtomicBoolean();

  private TelemetryPublisher(Builder builder, Spool spool) {
    this.clock = builder.clock;
    this.validator =
        TelemetryValidator.create(
            builder.registry == null ? TelemetryTypeRegistry.bundled() : builder.registry, clock);
    this.spool = spool;
    this.closeTimeout = builder.closeTimeout;
    this.scheduler =
        new ScheduledThreadPoolExecutor(
            1,
            task -> {
              Thread thread = new Thread(task, "telemetry-publisher-retries");
              thread.setDaemon(true); // An unclosed publisher must not keep the source running.
              return thread;
            });
    scheduler.setRemoveOnCancelPolicy(true);
    HttpClient http =
        HttpClient.newBuilder()
            // The collector speaks HTTP/1.1; over plain HTTP an HTTP/2 upgrade only costs.
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(builder.requestTimeout)
            .build();
    this.deliveries =
        new Deliveries(
            new CollectorEndpoint(http, builder.collector, builder.sourceKey),
            spool,
            new Backoff(builder.retryPolicy, () -> ThreadLocalRandom.current().nextDouble()),
            scheduler,
            new RequestSlots(builder.maxConcurrentRequests),
            clock,
            builder.requestTimeout,
            builder.retryPolicy.timeBudget());
  }

  /**
   * Starts a publisher to the collector at {@code collector}, its base URL (e.g. {@code
   * https://telemetry.example.com}); envelopes go to {@code <collector>/api/v1/telemetry}.
   *
   * @throws IllegalArgumentException if {@code collector} is not an http or https URL with a host
   */
  public static Builder builder(URI collector) {
    CollectorEndpoint.telemetryUri(collector);
    return new Builder(collector);
  }

  /**
   * Publishes one payload and waits for the outcome: validates it, wraps it in an envelope and
   * delivers it. Returns once the collector acknowledged or refused it, the time budget is spent,
   * or the publisher closed.
   *
   * @param application the source, e.g. {@code sles}
   * @param telemetryType the kind of telemetry, e.g. {@code system_profile}
   * @param schemaVersion the version of the type's schema the payload follows
   * @param payloadJson the payload as one JSON value
   * @throws IllegalStateException if the publisher is closed
   * @throws TelemetryException if the spool cannot be written, or the thread is interrupted while
   *     waiting (the delivery goes on)
   */
  public PublishResult publish(
      String application, String telemetryType, int schemaVersion, String payloadJson) {
    return await(publishAsync(application, telemetryType, schemaVersion, payloadJson));
  }

  /**
   * Publishes one payload; see {@link #publish}. Validation, and spooling when there is a spool,
   * are done when this returns; the result completes when the delivery ends. An invalid payload's
   * result is complete at once.
   *
   * @throws IllegalStateException if the publisher is closed
   */
  public CompletableFuture<PublishResult> publishAsync(
      String application, String telemetryType, int schemaVersion, String payloadJson) {
    requireNonNull(application, "application");
    requireNonNull(telemetryType, "telemetryType");
    requireNonNull(payloadJson, "payloadJson");
    requireOpen();
    UUID id = UUID.randomUUID();
    byte[] envelope =
        Envelopes.compose(
            id, clock.instant(), application, telemetryType, schemaVersion, payloadJson);
    ValidationResult validation = validator.validate(envelope);
    if (!validation.isValid()) {
      return CompletableFuture.completedFuture(PublishResult.invalid(validation.violations()));
    }
    return deliver(id, envelope);
  }

  /**
   * Publishes an envelope built elsewhere (a file, another program's output) and waits for the
   * outcome; see {@link #publish}. It is validated as it is; if it has no {@code id}, one is added,
   * so that retries cannot duplicate it.
   *
   * @param envelopeJson the envelope as JSON bytes
   * @throws IllegalStateException if the publisher is closed
   * @throws TelemetryException if the spool cannot be written, or the thread is interrupted while
   *     waiting (the delivery goes on)
   */
  public PublishResult publishEnvelope(byte[] envelopeJson) {
    return await(publishEnvelopeAsync(envelopeJson));
  }

  /**
   * Publishes an envelope built elsewhere; see {@link #publishEnvelope} and {@link #publishAsync}.
   * An envelope whose id is already being delivered by this publisher is not sent again: its result
   * is that delivery's.
   *
   * @throws IllegalStateException if the publisher is closed
   */
  public CompletableFuture<PublishResult> publishEnvelopeAsync(byte[] envelopeJson) {
    requireNonNull(envelopeJson, "envelopeJson");
    requireOpen();
    ValidationResult validation = validator.validate(envelopeJson);
    if (!validation.isValid()) {
      return CompletableFuture.completedFuture(PublishResult.invalid(validation.violations()));
    }
    UUID given = validation.submission().envelopeId().orElse(null);
    if (given != null) {
      return deliver(given, envelopeJson);
    }
    UUID id = UUID.randomUUID();
    return deliver(id, Envelopes.withId(envelopeJson, id));
  }

  /**
   * Sends again every envelope in the spool that is not being sent already, each with a fresh time
   * budget. The result completes once each has an outcome; it is empty without a spool.
   *
   * @throws IllegalStateException if the publisher is closed
   */
  public CompletableFuture<List<PublishResult>> resendSpooled() {
    requireOpen();
    return deliveries.resendSpooled();
  }

  /** What the spool holds now; all zero without a spool. */
  public SpoolStatus spoolStatus() {
    return spool.status();
  }

  /**
   * Stops taking envelopes, waits up to the close timeout for deliveries under way, then stops the
   * rest, which end as {@link PublishResult.Outcome#SPOOLED} (they stay in the spool for the next
   * publisher) or {@link PublishResult.Outcome#FAILED}. Releases the spool directory. Calling it
   * again does nothing.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    try {
      deliveries.close(System.nanoTime() + closeTimeout.toNanos());
    } finally {
      scheduler.shutdownNow();
      spool.close();
    }
  }

  private CompletableFuture<PublishResult> deliver(UUID id, byte[] envelope) {
    try {
      return deliveries.deliver(id, Envelopes.gzip(envelope));
    } catch (IOException e) {
      return CompletableFuture.failedFuture(
          new TelemetryException("cannot write envelope " + id + " to the spool", e));
    }
  }

  private void requireOpen() {
    if (closed.get()) {
      throw new IllegalStateException("the publisher is closed");
    }
  }

  private static PublishResult await(CompletableFuture<PublishResult> result) {
    try {
      return result.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TelemetryException("interrupted while publishing; the delivery goes on", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException failure) {
        throw failure;
      }
      throw new TelemetryException("publishing failed", e.getCause());
    }
  }

  /** Settings of a publisher; every one but the collector has a default. Not thread-safe. */
  public static final class Builder {

    /** The spool's default size bound: 64 MiB. */
    public static final long DEFAULT_MAX_SPOOL_BYTES = 64L << 20;

    private final URI collector;
    private String sourceKey;
    private Path spoolDirectory;
    private long maxSpoolBytes = DEFAULT_MAX_SPOOL_BYTES;
    private RetryPolicy retryPolicy = RetryPolicy.defaults();
    private TelemetryTypeRegistry registry;
    private Duration requestTimeout = Duration.ofSeconds(30);
    private Duration closeTimeout = Duration.ofSeconds(10);
    private int maxConcurrentRequests = 4;
    private Clock clock = Clock.systemUTC();

    private Builder(URI collector) {
      this.collector = collector;
    }

    /** The source key, sent as {@code Authorization: Bearer <key>}; none by default. */
    public Builder sourceKey(String sourceKey) {
      requireNonNull(sourceKey, "sourceKey");
      if (sourceKey.isBlank() || sourceKey.chars().anyMatch(c -> c < 0x21 || c > 0x7e)) {
        throw new IllegalArgumentException("a source key is printable ASCII without spaces");
      }
      this.sourceKey = sourceKey;
      return this;
    }

    /**
     * Keeps envelopes not yet acknowledged in {@code directory} (created if missing), and sends
     * those an earlier publisher left there; none by default.
     */
    public Builder spoolDirectory(Path directory) {
      this.spoolDirectory = requireNonNull(directory, "directory");
      return this;
    }

    /**
     * The most bytes the spool's files take; when full, the oldest envelopes are dropped to make
     * room, a segment file at a time: about a sixteenth of the bound (1 MiB at most), or one
     * envelope where envelopes are larger. {@link #DEFAULT_MAX_SPOOL_BYTES} by default.
     */
    public Builder maxSpoolBytes(long maxSpoolBytes) {
      if (maxSpoolBytes < 1) {
        throw new IllegalArgumentException("maxSpoolBytes must be positive, was " + maxSpoolBytes);
      }
      this.maxSpoolBytes = maxSpoolBytes;
      return this;
    }

    /** How long and how often to try; {@link RetryPolicy#defaults()} by default. */
    public Builder retryPolicy(RetryPolicy retryPolicy) {
      this.retryPolicy = requireNonNull(retryPolicy, "retryPolicy");
      return this;
    }

    /**
     * The telemetry types payloads are validated against; {@link TelemetryTypeRegistry#bundled()}
     * by default. It should know what the collector knows.
     */
    public Builder registry(TelemetryTypeRegistry registry) {
      this.registry = requireNonNull(registry, "registry");
      return this;
    }

    /** How long one attempt may take, connecting included; 30 seconds by default. */
    public Builder requestTimeout(Duration requestTimeout) {
      this.requestTimeout = requirePositive(requestTimeout, "requestTimeout");
      return this;
    }

    /** How long {@link TelemetryPublisher#close()} waits for deliveries; 10 seconds by default. */
    public Builder closeTimeout(Duration closeTimeout) {
      requireNonNull(closeTimeout, "closeTimeout");
      if (closeTimeout.isNegative()) {
        throw new IllegalArgumentException("closeTimeout must not be negative");
      }
      this.closeTimeout = closeTimeout;
      return this;
    }

    /** How many requests may be on the wire at once; 4 by default. */
    public Builder maxConcurrentRequests(int maxConcurrentRequests) {
      if (maxConcurrentRequests < 1) {
        throw new IllegalArgumentException(
            "maxConcurrentRequests must be positive, was " + maxConcurrentRequests);
      }
      this.maxConcurrentRequests = maxConcurrentRequests;
      return this;
    }

    /**
     * The clock for envelope times and {@code Retry-After} dates; the system's UTC clock by
     * default. Waits are measured with {@link System#nanoTime()}, which a clock change cannot
     * shift.
     */
    public Builder clock(Clock clock) {
      this.clock = requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Builds the publisher; with a spool directory, opens it and starts sending what it holds.
     *
     * @throws TelemetryException if the spool directory cannot be read or written, or another
     *     publisher holds it
     */
    public TelemetryPublisher build() {
      Spool spool = Spool.none();
      if (spoolDirectory != null) {
        try {
          spool = DiskSpool.open(spoolDirectory, maxSpoolBytes);
        } catch (IOException e) {
          throw new TelemetryException("cannot open spool directory " + spoolDirectory, e);
        }
      }
      TelemetryPublisher publisher;
      try {
        publisher = new TelemetryPublisher(this, spool);
      } catch (RuntimeException e) {
        spool.close();
        throw e;
      }
      publisher.deliveries.resendSpooled();
      return publisher;
    }

    private static Duration requirePositive(Duration duration, String name) {
      requireNonNull(duration, name);
      if (duration.isNegative() || duration.isZero()) {
        throw new IllegalArgumentException(name + " must be more than zero, was " + duration);
      }
      return duration;
    }
  }
}

package com.suse.telemetry.core;

import static java.util.Objects.requireNonNull;

import com.suse.telemetry.core.spi.StoreResult;
import com.suse.telemetry.core.spi.StoreUnavailableException;
import com.suse.telemetry.core.spi.TelemetryStore;
import java.io.InputStream;
import java.util.concurrent.CompletableFuture;

/**
 * Takes telemetry in: parses and validates it, splits it into records and stores them in the
 * primary store. A submission is accepted or rejected as a whole; when this returns an accepted
 * result, its records are durable.
 *
 * <p>Immutable and safe to share between threads.
 */
public final class IngestionService {

  private final TelemetryValidator validator;
  private final TelemetryStore store;

  private IngestionService(TelemetryValidator validator, TelemetryStore store) {
    this.validator = validator;
    this.store = store;
  }

  /** A service validating with {@code validator} and storing into {@code store}. */
  public static IngestionService create(TelemetryValidator validator, TelemetryStore store) {
    return new IngestionService(
        requireNonNull(validator, "validator"), requireNonNull(store, "store"));
  }

  /** The validator this service checks submissions with. */
  public TelemetryValidator validator() {
    return validator;
  }

  /**
   * Ingests one envelope read from {@code envelopeJson}.
   *
   * @throws StoreUnavailableException if the primary store cannot take the records now
   * @throws java.io.UncheckedIOException if reading the stream fails
   */
  public IngestionResult ingest(InputStream envelopeJson) {
    return store(validator.validate(envelopeJson));
  }

  /** Ingests one envelope given as JSON bytes; see the stream variant. */
  public IngestionResult ingest(byte[] envelopeJson) {
    return store(validator.validate(envelopeJson));
  }

  /**
   * Ingests a bare payload of a known type, as Trento's legacy publisher sends it; see {@link
   * TelemetryValidator#validatePayload(TelemetryTypeId, InputStream)}.
   *
   * @throws StoreUnavailableException if the primary store cannot take the records now
   * @throws java.io.UncheckedIOException if reading the stream fails
   */
  public IngestionResult ingestPayload(TelemetryTypeId type, InputStream payloadJson) {
    return store(validator.validatePayload(type, payloadJson));
  }

  /** Ingests a bare payload given as JSON bytes; see the stream variant. */
  public IngestionResult ingestPayload(TelemetryTypeId type, byte[] payloadJson) {
    return store(validator.validatePayload(type, payloadJson));
  }

  /**
   * Ingests one envelope given as JSON bytes, without holding the calling thread while the store
   * commits: the future completes with the result once the records are durable (or at once when the
   * envelope is rejected), or exceptionally with {@link StoreUnavailableException}.
   */
  public CompletableFuture<IngestionResult> ingestAsync(byte[] envelopeJson) {
    return storeAsync(validator.validate(envelopeJson));
  }

  /** Ingests a bare payload given as JSON bytes; see {@link #ingestAsync(byte[])}. */
  public CompletableFuture<IngestionResult> ingestPayloadAsync(
      TelemetryTypeId type, byte[] payloadJson) {
    return storeAsync(validator.validatePayload(type, payloadJson));
  }

  private CompletableFuture<IngestionResult> storeAsync(ValidationResult validation) {
    TelemetryTypeId type = validation.type().orElse(null);
    if (!validation.isValid()) {
      return CompletableFuture.completedFuture(IngestionResult.rejected(validation));
    }
    return store
        .storeAsync(validation.submission())
        .thenApply(stored -> IngestionResult.stored(type, stored.accepted(), stored.duplicates()));
  }

  private IngestionResult store(ValidationResult validation) {
    TelemetryTypeId type = validation.type().orElse(null);
    if (!validation.isValid()) {
      return IngestionResult.rejected(validation);
    }
    StoreResult stored = store.store(validation.submission());
    return IngestionResult.stored(type, stored.accepted(), stored.duplicates());
  }
}

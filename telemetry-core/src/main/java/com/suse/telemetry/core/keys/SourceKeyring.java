package com.suse.telemetry.core.keys;

import static java.util.Objects.requireNonNull;

import com.suse.telemetry.core.TelemetryException;
import com.suse.telemetry.core.spi.SourceKeyStore;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks the tokens sources send against the keys of a {@link SourceKeyStore}, held in memory and
 * read again every so often, so that a key made or revoked on any replica counts everywhere within
 * that interval, and checking a token never asks the store: a flood of bad tokens costs a hash and
 * a map lookup. Secrets are compared in constant time. Thread-safe.
 */
public final class SourceKeyring implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(SourceKeyring.class);
  private static final String BEARER = "bearer ";

  private final SourceKeyStore store;
  private final Duration refresh;
  private final ScheduledExecutorService clock =
      Executors.newSingleThreadScheduledExecutor(
          task -> {
            Thread thread = new Thread(task, "source-keys");
            thread.setDaemon(true);
            return thread;
          });
  private volatile Map<String, SourceKey> keys;
  private String lastProblem;

  private SourceKeyring(SourceKeyStore store, Duration refresh) {
    this.store = store;
    this.refresh = refresh;
  }

  /**
   * A keyring over {@code store}, to be read every {@code refresh} once {@linkplain #start()
   * started}; until then it knows no key and says so ({@link KeyCheck.Outcome#NOT_READY}).
   */
  public static SourceKeyring of(SourceKeyStore store, Duration refresh) {
    requireNonNull(refresh, "refresh");
    if (refresh.toMillis() < 1) {
      throw new IllegalArgumentException("refresh must be at least 1 ms");
    }
    return new SourceKeyring(requireNonNull(store, "store"), refresh);
  }

  /**
   * Reads the keys now, and then every {@code refresh}.
   *
   * @throws TelemetryException if the keys cannot be read now
   */
  public void start() {
    keys = read();
    long every = refresh.toMillis();
    clock.scheduleWithFixedDelay(this::refresh, every, every, TimeUnit.MILLISECONDS);
  }

  private Map<String, SourceKey> read() {
    return store.all().stream()
        .collect(Collectors.toUnmodifiableMap(SourceKey::id, Function.identity()));
  }

  private void refresh() {
    try {
      keys = read();
      lastProblem = null;
    } catch (RuntimeException e) {
      // The keys known stay in force until the store answers again.
      if (!e.toString().equals(lastProblem)) {
        LOG.warn("Cannot read the source keys, keeping those known: {}", e.getMessage());
        lastProblem = e.toString();
      }
    }
  }

  /**
   * What the {@code Authorization} header of a request says.
   *
   * @param authorization the header's value, or null when there is none
   */
  public KeyCheck check(String authorization) {
    if (authorization == null || authorization.isBlank()) {
      return KeyCheck.ABSENT;
    }
    if (authorization.length() < BEARER.length()
        || !authorization.substring(0, BEARER.length()).toLowerCase(Locale.ROOT).equals(BEARER)) {
      return KeyCheck.MALFORMED;
    }
    SourceKeyTokens.Parts parts =
        SourceKeyTokens.parse(authorization.substring(BEARER.length()).trim());
    if (parts == null) {
      return KeyCheck.MALFORMED;
    }
    Map<String, SourceKey> known = keys;
    if (known == null) {
      return KeyCheck.NOT_READY;
    }
    SourceKey key = known.get(parts.id());
    if (key == null
        || !MessageDigest.isEqual(SourceKeyTokens.hash(parts.secret()), key.secretHash())) {
      return KeyCheck.unknown(parts.id());
    }
    return key.isRevoked() ? KeyCheck.revoked(key) : KeyCheck.valid(key);
  }

  @Override
  public void close() {
    clock.shutdownNow();
  }
}

package com.suse.telemetry.core.spi;

import com.suse.telemetry.core.keys.SourceKey;
import java.util.List;

/**
 * Where source keys are kept (hashed), shared by every collector replica. Implementations are
 * thread-safe.
 */
public interface SourceKeyStore {

  /**
   * Every key, revoked ones included.
   *
   * @throws StoreUnavailableException if the keys cannot be read now
   */
  List<SourceKey> all();

  /** Keeps a new key. */
  void add(SourceKey key);

  /**
   * Revokes the key {@code id}.
   *
   * @return whether a key with that id existed and was valid until now
   */
  boolean revoke(String id);
}

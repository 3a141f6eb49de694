package com.suse.telemetry.core.spi;

/**
 * What storing one submission did.
 *
 * @param accepted records newly stored
 * @param duplicates records already stored before, so not stored again
 */
public record StoreResult(int accepted, int duplicates) {

  /** Checks that both counts are non-negative. */
  public StoreResult {
    if (accepted < 0 || duplicates < 0) {
      throw new IllegalArgumentException("counts must not be negative");
    }
  }
}

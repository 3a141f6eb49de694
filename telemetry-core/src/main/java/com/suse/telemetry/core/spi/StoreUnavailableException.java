package com.suse.telemetry.core.spi;

import com.suse.telemetry.core.TelemetryException;

/**
 * The primary store cannot be reached or failed, so nothing was stored; trying again later may
 * succeed. The HTTP layer answers 503 with {@code Retry-After}.
 */
public final class StoreUnavailableException extends TelemetryException {

  private static final long serialVersionUID = 1L;

  /** Creates an exception with a message and its cause. */
  public StoreUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }

  /** Creates an exception with a message. */
  public StoreUnavailableException(String message) {
    super(message);
  }
}

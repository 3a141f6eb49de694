package com.suse.telemetry.core.spi;

import com.suse.telemetry.core.TelemetryException;

/**
 * A secondary sink could not be written to now (connection refused, timeout, overload); the write
 * may succeed if tried again later. The forwarder backs off, and never parks a record for it.
 */
public final class SinkUnavailableException extends TelemetryException {

  private static final long serialVersionUID = 1L;

  /** Creates an exception with a message and its cause. */
  public SinkUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }

  /** Creates an exception with a message. */
  public SinkUnavailableException(String message) {
    super(message);
  }
}

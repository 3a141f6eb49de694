package com.suse.telemetry.core.spi;

import com.suse.telemetry.core.TelemetryException;

/**
 * A secondary sink refused a write because of its data (e.g. a field type conflict); the same
 * records would be refused again. The forwarder splits the batch to find the records refused on
 * their own, and parks them.
 */
public final class SinkRefusedException extends TelemetryException {

  private static final long serialVersionUID = 1L;

  /** Creates an exception with a message and its cause. */
  public SinkRefusedException(String message, Throwable cause) {
    super(message, cause);
  }

  /** Creates an exception with a message. */
  public SinkRefusedException(String message) {
    super(message);
  }
}

package com.suse.telemetry.core;

/**
 * The one family of unchecked exceptions this library throws: for misuse and for infrastructure
 * failures. Invalid telemetry is never an exception; it is a {@link ValidationResult}.
 */
public class TelemetryException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** Creates an exception with a message. */
  public TelemetryException(String message) {
    super(message);
  }

  /** Creates an exception with a message and its cause. */
  public TelemetryException(String message, Throwable cause) {
    super(message, cause);
  }
}

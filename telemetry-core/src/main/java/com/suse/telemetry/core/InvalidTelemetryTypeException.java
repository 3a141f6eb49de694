package com.suse.telemetry.core;

/**
 * A telemetry type could not be loaded: its schema file is not valid JSON, not a valid JSON Schema,
 * or its {@code x-telemetry} metadata names something the schema lacks. The message names the file.
 */
public final class InvalidTelemetryTypeException extends TelemetryException {

  private static final long serialVersionUID = 1L;

  /** Creates an exception whose message names the offending file. */
  public InvalidTelemetryTypeException(String message) {
    super(message);
  }

  /** Creates an exception whose message names the offending file, with its cause. */
  public InvalidTelemetryTypeException(String message, Throwable cause) {
    super(message, cause);
  }
}

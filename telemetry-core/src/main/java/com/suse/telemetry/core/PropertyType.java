package com.suse.telemetry.core;

/**
 * The type of a top-level property of a telemetry record, as its schema declares it. Storage
 * adapters use it to choose column and field types.
 */
public enum PropertyType {
  /** A JSON string. */
  STRING,
  /** A JSON number without fraction. */
  INTEGER,
  /** Any JSON number. */
  NUMBER,
  /** {@code true} or {@code false}. */
  BOOLEAN,
  /** Anything else: objects, arrays, or a property whose schema allows several types. */
  JSON;

  /** Whether values of this type are single values (not objects or arrays). */
  public boolean isScalar() {
    return this != JSON;
  }
}

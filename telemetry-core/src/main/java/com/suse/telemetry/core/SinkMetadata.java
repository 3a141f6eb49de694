package com.suse.telemetry.core;

import java.util.Map;

/**
 * One secondary sink's part of a telemetry type's {@code x-telemetry} metadata: the object under
 * the sink's name, e.g. {@code "x-telemetry": {"archive": {"prefix": "hosts/"}}} for a sink named
 * {@code archive}. Given to {@link TelemetryTypeRegistry.Builder#sinkMetadata}, it reads and checks
 * that section of every type when the registry is built, so that a broken section fails then, with
 * the file named; its result is then {@link TelemetryType#sinkMetadata(String, Class)}.
 * Implementations are stateless and thread-safe.
 *
 * @param <T> what the section becomes
 */
public interface SinkMetadata<T> {

  /** The sink's name: the key of its section in {@code x-telemetry}. */
  String sink();

  /** The class of what {@link #read} returns. */
  Class<T> type();

  /**
   * Reads the sink's section of {@code type}'s metadata, filling in defaults.
   *
   * @param type the telemetry type (its properties, record time and identity)
   * @param section the section as plain values ({@code String}, {@code Boolean}, {@code Long},
   *     {@code java.math.BigInteger}, {@code java.math.BigDecimal}, {@code List}, {@code Map}, or
   *     null); empty when the type has none
   * @throws IllegalArgumentException saying what is wrong with the section
   */
  T read(TelemetryType type, Map<String, Object> section);
}

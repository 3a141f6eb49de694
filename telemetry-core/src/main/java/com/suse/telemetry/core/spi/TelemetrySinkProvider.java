package com.suse.telemetry.core.spi;

import com.suse.telemetry.core.SinkMetadata;
import com.suse.telemetry.core.TelemetryTypeRegistry;
import com.suse.telemetry.core.settings.InvalidSettingException;
import com.suse.telemetry.core.settings.Setting;
import com.suse.telemetry.core.settings.SettingValues;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Offers one kind of secondary sink to the collector, found with {@link java.util.ServiceLoader}: a
 * sink module lists its provider in {@code
 * META-INF/services/com.suse.telemetry.core.spi.TelemetrySinkProvider}, and the collector offers
 * its settings, checks its part of every type's metadata, and forwards to it when it is configured.
 * Implementations have a public no-argument constructor, and are stateless and thread-safe.
 */
public interface TelemetrySinkProvider {

  /** What a sink's name looks like: lower-case letters and digits, with dashes between. */
  Pattern NAME = Pattern.compile("[a-z][a-z0-9]*(-[a-z0-9]+)*");

  /**
   * The sink's name, matching {@link #NAME}: its outbox queue, the key of its section in a type's
   * {@code x-telemetry} metadata, its readiness check; stable across releases.
   */
  String name();

  /** The sink's own settings, in the order help lists them. */
  List<Setting<?>> settings();

  /** Reads and checks the sink's section of each type's {@code x-telemetry} metadata. */
  SinkMetadata<?> typeMetadata();

  /**
   * Whether {@code values} configure this sink, so that this collector forwards to it.
   *
   * @throws InvalidSettingException naming a setting that is missing or makes no sense
   */
  boolean isConfigured(SettingValues values);

  /**
   * A sink as {@code values} configure it, for the types of {@code registry}; called only when
   * {@link #isConfigured} says so. The caller closes it.
   *
   * @throws InvalidSettingException naming a setting that makes no sense
   */
  TelemetrySink create(TelemetryTypeRegistry registry, SettingValues values);
}

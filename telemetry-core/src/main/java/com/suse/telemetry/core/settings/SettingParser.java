package com.suse.telemetry.core.settings;

/**
 * Turns a setting's text into its value.
 *
 * @param <T> the value's type
 */
@FunctionalInterface
public interface SettingParser<T> {

  /**
   * The value of {@code text} (already trimmed, never blank).
   *
   * @throws IllegalArgumentException whose message says what the value must be, phrased to follow
   *     the setting's name, e.g. "must be a port number (0 to 65535)"
   */
  T parse(String text);
}

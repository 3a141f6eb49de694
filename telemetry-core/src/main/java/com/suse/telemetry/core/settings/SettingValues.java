package com.suse.telemetry.core.settings;

import static java.util.Objects.requireNonNull;

import com.suse.telemetry.core.TelemetryException;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The values of settings, as read from wherever the collector reads them; a setting given no value
 * reads as its default. Modules turn these into their own typed configuration. Immutable and
 * thread-safe.
 */
public final class SettingValues {

  private static final SettingValues DEFAULTS = new SettingValues(Map.of());

  private final Map<Setting<?>, Object> values;

  private SettingValues(Map<Setting<?>, Object> values) {
    this.values = values;
  }

  /** Every setting at its default. */
  public static SettingValues defaults() {
    return DEFAULTS;
  }

  /**
   * These values, but {@code setting} set to {@code value}.
   *
   * @throws IllegalArgumentException if the value is not of the setting's type
   */
  public <T> SettingValues with(Setting<T> setting, T value) {
    requireNonNull(setting, "setting");
    requireNonNull(value, "value");
    if (setting.separator().isEmpty() && !setting.type().isInstance(value)) {
      throw new IllegalArgumentException(
          setting.name() + " takes a " + setting.type().getSimpleName() + ", not " + value);
    }
    Map<Setting<?>, Object> copy = new HashMap<>(values);
    copy.put(setting, value);
    return new SettingValues(Map.copyOf(copy));
  }

  /**
   * These values, but {@code setting} set to the value of {@code text}, parsed as if it had been
   * written in the environment.
   *
   * @throws InvalidSettingException if the text is no valid value
   */
  public <T> SettingValues withText(Setting<T> setting, String text) {
    return with(setting, setting.parse(text));
  }

  /** The value given to {@code setting}, else its default, if either exists. */
  @SuppressWarnings("unchecked")
  public <T> Optional<T> find(Setting<T> setting) {
    requireNonNull(setting, "setting");
    Object value = values.get(setting);
    if (value != null) {
      return Optional.of((T) value);
    }
    return setting.defaultText().map(setting::parse);
  }

  /**
   * The value of {@code setting}, else its default.
   *
   * @throws TelemetryException if it has neither
   */
  public <T> T get(Setting<T> setting) {
    return find(setting)
        .orElseThrow(() -> new TelemetryException(setting.label() + " has no value"));
  }

  /** Whether {@code setting} was given a value, rather than left at its default. */
  public boolean isSet(Setting<?> setting) {
    return values.containsKey(requireNonNull(setting, "setting"));
  }
}

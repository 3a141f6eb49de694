package com.suse.telemetry.core.settings;

import static java.util.Objects.requireNonNull;

import com.suse.telemetry.core.TelemetryException;

/** A setting's value makes no sense; the message names the setting and says what it must be. */
public final class InvalidSettingException extends TelemetryException {

  private static final long serialVersionUID = 1L;

  private final transient Setting<?> setting;

  /**
   * An exception for {@code setting}, e.g. "TELEMETRY_HTTP_PORT (--http-port) must be a port".
   *
   * @param problem what is wrong, phrased to follow the setting's name
   */
  public InvalidSettingException(Setting<?> setting, String problem) {
    super(requireNonNull(setting, "setting").label() + " " + requireNonNull(problem, "problem"));
    this.setting = setting;
  }

  /** The setting whose value makes no sense. */
  public Setting<?> setting() {
    return setting;
  }
}

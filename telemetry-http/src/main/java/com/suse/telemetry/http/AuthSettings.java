package com.suse.telemetry.http;

import static java.util.Objects.requireNonNull;

import com.suse.telemetry.core.settings.Setting;
import com.suse.telemetry.core.settings.SettingValues;
import java.time.Duration;
import java.util.List;

/**
 * Whether sources must show a key, and which; the settings are declared here.
 *
 * @param mode off (keys are not looked at), optional (a key sent must be valid and cover the
 *     application; no key is fine) or required (no key: 401)
 * @param exemptLegacy whether Trento's legacy routes take submissions without a key even when keys
 *     are required (old Trento cannot send one)
 * @param refresh how often each collector reads the keys again (a key made or revoked anywhere
 *     counts within it)
 */
public record AuthSettings(Mode mode, boolean exemptLegacy, Duration refresh) {

  /** The mode. */
  public static final Setting<Mode> MODE =
      Setting.choice(
          "auth-mode",
          Mode.class,
          Mode.OFF,
          "source keys (Authorization: Bearer): off, optional (a key sent must be valid for its"
              + " application) or required");

  /** The legacy routes' exemption. */
  public static final Setting<Boolean> EXEMPT_LEGACY =
      Setting.flag(
          "auth-exempt-legacy",
          false,
          "take Trento's legacy /api/collect/hosts without a key even when keys are required");

  /** How often keys are read again. */
  public static final Setting<Duration> REFRESH =
      Setting.duration(
          "auth-refresh-interval",
          Duration.ofMillis(500),
          Duration.ofMinutes(10),
          Duration.ofSeconds(5),
          "how often the collector reads the source keys again: a key made or revoked on any"
              + " replica counts within it");

  /** Every setting of source keys. */
  public static final List<Setting<?>> SETTINGS = List.of(MODE, EXEMPT_LEGACY, REFRESH);

  /** The modes. */
  public enum Mode {
    /** Keys are not looked at: everyone may publish (the original collector's behaviour). */
    OFF,
    /** A key sent must be valid and cover its application; a submission without one is taken. */
    OPTIONAL,
    /** Every submission needs a valid key covering its application. */
    REQUIRED
  }

  /** Checks the settings. */
  public AuthSettings {
    requireNonNull(mode, "mode");
    requireNonNull(refresh, "refresh");
  }

  /** Source keys as {@code values} configure them. */
  public static AuthSettings from(SettingValues values) {
    return new AuthSettings(values.get(MODE), values.get(EXEMPT_LEGACY), values.get(REFRESH));
  }
}

package com.suse.telemetry.http;

import static java.util.Objects.requireNonNull;

import com.suse.telemetry.core.settings.Setting;
import com.suse.telemetry.core.settings.SettingValues;
import java.util.List;

/**
 * Where the management API listens; its settings are declared here.
 *
 * @param host address to bind
 * @param port port to listen on; 0 picks a free one
 */
public record ManagementSettings(String host, int port) {

  /** Address the management API listens on. */
  public static final Setting<String> HOST =
      Setting.text("management-host", "0.0.0.0", "address the management API listens on");

  /** Port of the management API. */
  public static final Setting<Integer> PORT =
      Setting.port(
          "management-port",
          8081,
          "port of the management API: /metrics (Prometheus), /health/*, /info (0: any free port)");

  /** Every setting of the management API. */
  public static final List<Setting<?>> SETTINGS = List.of(HOST, PORT);

  /** Checks the settings. */
  public ManagementSettings {
    requireNonNull(host, "host");
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port must be 0 to 65535, was " + port);
    }
  }

  /** The management API's configuration from {@code values}. */
  public static ManagementSettings from(SettingValues values) {
    return new ManagementSettings(values.get(HOST), values.get(PORT));
  }
}

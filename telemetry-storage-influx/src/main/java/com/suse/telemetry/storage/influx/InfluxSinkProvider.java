package com.suse.telemetry.storage.influx;

import com.suse.telemetry.core.SinkMetadata;
import com.suse.telemetry.core.TelemetryTypeRegistry;
import com.suse.telemetry.core.settings.Setting;
import com.suse.telemetry.core.settings.SettingValues;
import com.suse.telemetry.core.spi.TelemetrySink;
import com.suse.telemetry.core.spi.TelemetrySinkProvider;
import java.util.List;

/**
 * Offers the InfluxDB sink to the collector: its {@code influxdb-*} settings ({@link
 * InfluxSettings}), on when {@code TELEMETRY_INFLUXDB_URL} is set; its {@code x-telemetry.influxdb}
 * section of each type ({@link InfluxMapping}). Found through {@link java.util.ServiceLoader}.
 */
public final class InfluxSinkProvider implements TelemetrySinkProvider {

  /** For {@link java.util.ServiceLoader}. */
  public InfluxSinkProvider() {}

  @Override
  public String name() {
    return InfluxTelemetrySink.NAME;
  }

  @Override
  public List<Setting<?>> settings() {
    return InfluxSettings.SETTINGS;
  }

  @Override
  public SinkMetadata<InfluxMapping> typeMetadata() {
    return new InfluxMappingReader();
  }

  @Override
  public boolean isConfigured(SettingValues values) {
    return InfluxSettings.from(values).isPresent();
  }

  @Override
  public TelemetrySink create(TelemetryTypeRegistry registry, SettingValues values) {
    return InfluxTelemetrySink.create(
        registry,
        InfluxSettings.from(values)
            .orElseThrow(() -> new IllegalStateException("InfluxDB is not configured")));
  }
}

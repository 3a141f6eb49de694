package com.suse.telemetry.storage.influx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.suse.telemetry.core.TelemetryTypeRegistry;
import com.suse.telemetry.core.settings.InvalidSettingException;
import com.suse.telemetry.core.settings.SettingValues;
import com.suse.telemetry.core.spi.TelemetrySink;
import com.suse.telemetry.core.spi.TelemetrySinkProvider;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

/** The collector finds the InfluxDB sink, its settings and its metadata through its provider. */
class InfluxSinkProviderTest {

  private static TelemetrySinkProvider provider() {
    return ServiceLoader.load(TelemetrySinkProvider.class).stream()
        .map(ServiceLoader.Provider::get)
        .filter(provider -> provider.name().equals("influxdb"))
        .findFirst()
        .orElseThrow();
  }

  @Test
  void isFoundByServiceLoaderWithItsOwnSettingsAndMetadata() {
    TelemetrySinkProvider provider = provider();

    assertThat(provider).isInstanceOf(InfluxSinkProvider.class);
    assertThat(provider.name()).matches(TelemetrySinkProvider.NAME);
    assertThat(provider.settings()).containsExactlyElementsOf(InfluxSettings.SETTINGS);
    assertThat(provider.typeMetadata().sink()).isEqualTo(provider.name());
  }

  @Test
  void isConfiguredOnlyWithAUrlAndRefusesAUrlWithoutBucket() {
    TelemetrySinkProvider provider = provider();
    SettingValues url = SettingValues.defaults().withText(InfluxSettings.URL, "http://influx:8086");

    assertThat(provider.isConfigured(SettingValues.defaults())).isFalse();
    assertThatThrownBy(() -> provider.isConfigured(url.withText(InfluxSettings.ORG, "suse")))
        .isInstanceOf(InvalidSettingException.class)
        .hasMessageContaining("TELEMETRY_INFLUXDB_BUCKET");
    SettingValues complete =
        url.withText(InfluxSettings.ORG, "suse").withText(InfluxSettings.BUCKET, "telemetry");
    assertThat(provider.isConfigured(complete)).isTrue();
    try (TelemetrySink sink = provider.create(TelemetryTypeRegistry.bundled(), complete)) {
      assertThat(sink.name()).isEqualTo("influxdb");
      assertThat(sink).hasToString("InfluxDB at http://influx:8086, bucket telemetry");
    }
  }
}

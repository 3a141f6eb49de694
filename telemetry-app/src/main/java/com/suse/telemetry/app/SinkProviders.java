package com.suse.telemetry.app;

import com.suse.telemetry.core.SinkMetadata;
import com.suse.telemetry.core.TelemetryException;
import com.suse.telemetry.core.TelemetryTypeRegistry;
import com.suse.telemetry.core.settings.InvalidSettingException;
import com.suse.telemetry.core.settings.Setting;
import com.suse.telemetry.core.settings.SettingValues;
import com.suse.telemetry.core.spi.TelemetrySink;
import com.suse.telemetry.core.spi.TelemetrySinkProvider;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.ServiceLoader;
import java.util.Set;

/**
 * The secondary sinks this collector can forward to: every {@link TelemetrySinkProvider} on its
 * class path, found with {@link ServiceLoader} once, when the command line is built (their settings
 * are options). Adding a sink module to the app's dependencies is all it takes to offer its sink.
 */
final class SinkProviders {

  /** The providers found, by name. */
  static final List<TelemetrySinkProvider> ALL = load();

  /** Every provider's own settings, in the order of the providers. */
  static final List<Setting<?>> SETTINGS =
      ALL.stream().flatMap(provider -> provider.settings().stream()).toList();

  private SinkProviders() {}

  /**
   * A sink a collector forwards to, and the settings it is configured with.
   *
   * @param provider the sink's provider
   * @param values the collector's settings
   */
  record ConfiguredSink(TelemetrySinkProvider provider, SettingValues values) {

    /** The sink's name. */
    String name() {
      return provider.name();
    }

    /** Creates the sink, for the types of {@code registry}; the caller closes it. */
    TelemetrySink create(TelemetryTypeRegistry registry) {
      return provider.create(registry, values);
    }

    /** Names the sink only: its settings may hold secrets. */
    @Override
    public String toString() {
      return name();
    }
  }

  /**
   * The sinks {@code values} configure.
   *
   * @throws InvalidSettingException naming a sink's setting that is missing or makes no sense
   */
  static List<ConfiguredSink> configured(SettingValues values) {
    List<ConfiguredSink> configured = new ArrayList<>();
    for (TelemetrySinkProvider provider : ALL) {
      if (provider.isConfigured(values)) {
        configured.add(new ConfiguredSink(provider, values));
      }
    }
    return List.copyOf(configured);
  }

  /** {@code builder}, reading and checking every sink's section of each type's metadata. */
  static TelemetryTypeRegistry.Builder withSinkMetadata(TelemetryTypeRegistry.Builder builder) {
    typeMetadata().forEach(builder::sinkMetadata);
    return builder;
  }

  /** What each sink offered reads from the telemetry types' metadata. */
  static List<SinkMetadata<?>> typeMetadata() {
    return ALL.stream().<SinkMetadata<?>>map(TelemetrySinkProvider::typeMetadata).toList();
  }

  /** The names of the sinks offered, for messages. */
  static List<String> names() {
    return ALL.stream().map(TelemetrySinkProvider::name).toList();
  }

  private static List<TelemetrySinkProvider> load() {
    List<TelemetrySinkProvider> providers = new ArrayList<>();
    ServiceLoader.load(TelemetrySinkProvider.class, SinkProviders.class.getClassLoader())
        .forEach(providers::add);
    providers.sort(Comparator.comparing(TelemetrySinkProvider::name));
    Set<String> names = new HashSet<>();
    Set<String> settings = new HashSet<>();
    for (TelemetrySinkProvider provider : providers) {
      String name = provider.name();
      if (!TelemetrySinkProvider.NAME.matcher(name).matches() || name.equals("identity")) {
        throw new TelemetryException(
            provider.getClass().getName()
                + " offers a sink named '"
                + name
                + "', which is no name");
      }
      if (!names.add(name) || !name.equals(provider.typeMetadata().sink())) {
        throw new TelemetryException(
            provider.getClass().getName()
                + ": sink '"
                + name
                + "' is offered twice, or its"
                + " metadata is another sink's");
      }
      for (Setting<?> setting : provider.settings()) {
        if (!settings.add(setting.name())) {
          throw new TelemetryException(
              provider.getClass().getName() + " declares setting " + setting.name() + " twice");
        }
      }
    }
    return List.copyOf(providers);
  }
}

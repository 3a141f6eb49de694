/**
 * The ports storage adapters implement: the primary {@link
 * com.suse.telemetry.core.spi.TelemetryStore}, its {@link com.suse.telemetry.core.spi.Outbox}, and
 * {@link com.suse.telemetry.core.spi.TelemetrySink secondary sinks}, which sink modules offer
 * through a {@link com.suse.telemetry.core.spi.TelemetrySinkProvider}, the {@link
 * com.suse.telemetry.core.spi.Quarantine} of rejected submissions and the {@link
 * com.suse.telemetry.core.spi.SourceKeyStore} of source keys.
 */
package com.suse.telemetry.core.spi;

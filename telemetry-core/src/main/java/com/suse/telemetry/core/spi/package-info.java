/**
 * The ports storage adapters implement: the primary {@link
 * com.suse.telemetry.core.spi.TelemetryStore}, its {@link com.suse.telemetry.core.spi.Outbox}, and
 * {@link com.suse.telemetry.core.spi.TelemetrySink secondary sinks}, and the {@link
 * com.suse.telemetry.core.spi.Quarantine} of rejected submissions.
 */
package com.suse.telemetry.core.spi;

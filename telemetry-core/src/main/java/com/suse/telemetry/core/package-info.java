/**
 * The embeddable Telemetry Collector core: validate telemetry against the registry of telemetry
 * types, split it into records and ingest it into a store. Start with {@link
 * com.suse.telemetry.core.TelemetryTypeRegistry} and {@link
 * com.suse.telemetry.core.TelemetryValidator}.
 */
package com.suse.telemetry.core;

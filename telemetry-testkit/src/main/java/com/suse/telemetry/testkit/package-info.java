/**
 * Test support for the Telemetry Collector and its storage adapters: the storage contract kit
 * ({@link com.suse.telemetry.testkit.TelemetryStoreContract}), reproducible test telemetry, and
 * helpers that provide real test services.
 */
package com.suse.telemetry.testkit;

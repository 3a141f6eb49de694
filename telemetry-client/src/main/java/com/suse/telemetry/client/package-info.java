/**
 * Publishing telemetry to the collector from a Java source: start with {@link
 * com.suse.telemetry.client.TelemetryPublisher}. Payloads are validated locally against the same
 * telemetry types the collector knows, sent gzipped with an idempotency key, retried without
 * duplicating, and optionally kept in a disk spool until the collector acknowledges them.
 */
package com.suse.telemetry.client;

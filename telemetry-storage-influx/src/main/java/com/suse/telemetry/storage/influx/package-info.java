/**
 * The InfluxDB secondary sink: each record becomes one point as its type's {@code
 * x-telemetry.influxdb} section declares, written through influxdb-client-java. {@link
 * com.suse.telemetry.storage.influx.InfluxSinkProvider} offers it to the collector.
 */
package com.suse.telemetry.storage.influx;

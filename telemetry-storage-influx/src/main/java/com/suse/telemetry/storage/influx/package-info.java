/**
 * The InfluxDB secondary sink: each record becomes one point as its type's schema declares, written
 * through influxdb-client-java.
 */
package com.suse.telemetry.storage.influx;

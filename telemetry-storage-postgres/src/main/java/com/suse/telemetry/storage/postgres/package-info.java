/**
 * The primary store on PostgreSQL: connection pool, Flyway migrations, the store, its outbox (with
 * the sinks of the deployment, parked records and replays), and typed views for BI tools.
 */
package com.suse.telemetry.storage.postgres;

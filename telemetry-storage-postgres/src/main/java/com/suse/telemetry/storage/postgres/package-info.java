/**
 * The primary store on PostgreSQL: connection pool, Flyway migrations, the store and its outbox,
 * and typed views for BI tools.
 */
package com.suse.telemetry.storage.postgres;

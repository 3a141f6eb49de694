/** An in-memory primary store and outbox, for tests and embedding. */
package com.suse.telemetry.core.memory;

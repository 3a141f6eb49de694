/**
 * The quarantine of submissions rejected by validation: {@link
 * com.suse.telemetry.core.quarantine.QuarantineWriter} keeps them in the background without
 * delaying the answer, bounded in size and age; {@link
 * com.suse.telemetry.core.quarantine.QuarantineReplay} ingests them once the registry accepts them.
 * The store itself is the {@link com.suse.telemetry.core.spi.Quarantine} port.
 */
package com.suse.telemetry.core.quarantine;

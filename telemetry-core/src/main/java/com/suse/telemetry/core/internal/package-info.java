/**
 * Implementation details of the core. Not API: may change in any release; other modules must not
 * use it.
 */
package com.suse.telemetry.core.internal;

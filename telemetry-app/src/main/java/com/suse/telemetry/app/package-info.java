/** The runnable collector: configuration, wiring of the modules, and the command line. */
package com.suse.telemetry.app;

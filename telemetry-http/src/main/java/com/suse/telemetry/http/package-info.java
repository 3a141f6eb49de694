/** The collector's HTTP API on Javalin: routes, request limits, and errors as problem details. */
package com.suse.telemetry.http;

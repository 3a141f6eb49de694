package com.suse.telemetry.app;

import java.util.Arrays;
import java.util.Map;

/**
 * Configures slf4j-simple before the first logger exists: one line per event on standard error,
 * with time and level; {@code TELEMETRY_DEBUG=true} or {@code --debug} for debug level; chatty
 * libraries kept to warnings.
 */
final class Logging {

  private Logging() {}

  static void configure(String[] args, Map<String, String> environment) {
    boolean debug =
        Arrays.asList(args).contains("--debug")
            || "true".equalsIgnoreCase(environment.get("TELEMETRY_DEBUG"));
    setDefault("org.slf4j.simpleLogger.defaultLogLevel", debug ? "debug" : "info");
    setDefault("org.slf4j.simpleLogger.showDateTime", "true");
    setDefault("org.slf4j.simpleLogger.dateTimeFormat", "yyyy-MM-dd'T'HH:mm:ss.SSSXXX");
    setDefault("org.slf4j.simpleLogger.showThreadName", "false");
    setDefault("org.slf4j.simpleLogger.levelInBrackets", "true");
    for (String chatty :
        new String[] {
          "org.eclipse.jetty",
          "io.javalin",
          "com.zaxxer.hikari",
          "com.networknt",
          "org.flywaydb.core.internal",
          "okhttp3",
          "com.influxdb"
        }) {
      setDefault("org.slf4j.simpleLogger.log." + chatty, debug ? "info" : "warn");
    }
  }

  private static void setDefault(String property, String value) {
    if (System.getProperty(property) == null) {
      System.setProperty(property, value);
    }
  }
}

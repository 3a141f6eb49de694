package com.suse.telemetry.app;

import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Configures slf4j-simple before the first logger exists: one line per event on standard error,
 * with time and level; debug level when the debug setting is on (in any spelling it accepts);
 * chatty libraries kept to warnings.
 */
final class Logging {

  private Logging() {}

  /** Configures logging for the command {@code parsed} runs, from its {@code debugOption}. */
  static void configure(String debugOption, CommandLine.ParseResult parsed) {
    CommandLine.ParseResult command = parsed;
    while (command.subcommand() != null) {
      command = command.subcommand();
    }
    OptionSpec debug = command.commandSpec().findOption(debugOption);
    configure(debug != null && Boolean.TRUE.equals(debug.getValue()));
  }

  static void configure(boolean debug) {
    setDefault("org.slf4j.simpleLogger.defaultLogLevel", debug ? "debug" : "info");
    setDefault("org.slf4j.simpleLogger.showDateTime", "true");
    setDefault("org.slf4j.simpleLogger.dateTimeFormat", "yyyy-MM-dd'T'HH:mm:ss.SSSXXX");
    setDefault("org.slf4j.simpleLogger.showThreadName", "false");
    setDefault("org.slf4j.simpleLogger.levelInBrackets", "true");
    // The pool warns, with a stack trace, of every connection an outage broke; the collector says
    // once that PostgreSQL is unreachable, and again when it is back.
    for (String outageNoise :
        new String[] {
          "com.zaxxer.hikari.pool.ProxyConnection", "com.zaxxer.hikari.pool.PoolBase"
        }) {
      setDefault("org.slf4j.simpleLogger.log." + outageNoise, debug ? "info" : "error");
    }
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

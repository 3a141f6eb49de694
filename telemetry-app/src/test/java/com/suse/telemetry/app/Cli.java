package com.suse.telemetry.app;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import picocli.CommandLine;

/** The command line run in the test's process, as an operator would type it. */
final class Cli {

  private Cli() {}

  /** What a command printed and exited with. */
  record Run(int exitCode, String output, String error) {}

  /** Runs {@code args} with {@code environment} as the process's environment. */
  static Run run(Map<String, String> environment, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine commandLine = Main.commandLine(environment, ConfigFile.none());
    commandLine.setOut(new PrintWriter(out, true));
    commandLine.setErr(new PrintWriter(err, true));
    int exitCode = commandLine.execute(args);
    return new Run(exitCode, out.toString(), err.toString());
  }
}

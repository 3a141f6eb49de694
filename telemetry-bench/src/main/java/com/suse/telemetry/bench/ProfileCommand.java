package com.suse.telemetry.bench;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code telemetry-bench profile}: summarizes flight recordings that a run wrote. */
@Command(
    name = "profile",
    mixinStandardHelpOptions = true,
    description =
        "Says where a collector's time went, from the flight recordings of a run with --profile:"
            + " processor samples by library, the busiest methods, garbage collection pauses.")
final class ProfileCommand implements Callable<Integer> {

  /** The busiest methods a summary lists. */
  static final int METHODS = 12;

  @Parameters(
      paramLabel = "RECORDING",
      arity = "1..*",
      description = "Files such as collector.jfr.")
  List<Path> recordings;

  @Option(
      names = "--methods",
      paramLabel = "N",
      defaultValue = "" + METHODS,
      description = "How many of the busiest methods to list (default: ${DEFAULT-VALUE}).")
  int methods;

  @Override
  public Integer call() throws Exception {
    for (Path recording : recordings) {
      System.out.println(recording + ":");
      FlightSummary.of(recording).lines(methods).forEach(System.out::println);
    }
    return 0;
  }
}

package com.suse.telemetry.app;

import com.suse.telemetry.client.PublishResult;
import com.suse.telemetry.client.RetryPolicy;
import com.suse.telemetry.client.SpoolStatus;
import com.suse.telemetry.client.TelemetryPublisher;
import com.suse.telemetry.core.PrintableText;
import com.suse.telemetry.core.TelemetryException;
import com.suse.telemetry.core.TelemetryTypeId;
import com.suse.telemetry.core.Violation;
import com.suse.telemetry.core.settings.InvalidSettingException;
import com.suse.telemetry.core.settings.Setting;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code send FILE...}: publishes envelope files to a collector as a source would, through {@code
 * telemetry-client}: validated locally first, then sent with retries that cannot duplicate, within
 * a time budget. One line per file; exit 0 when every file was accepted, 1 when some were invalid
 * or refused, 2 for a usage error or when some were not delivered in time.
 */
@Command(
    name = "send",
    mixinStandardHelpOptions = true,
    description = {
      "Publishes envelope files (or, with --legacy-trento-hosts, bare arrays of Trento hosts) to"
          + " a collector, validating each locally first and retrying without duplicates.",
      "Prints 'file: accepted n, duplicates m', or 'file: pointer: message' for every violation;"
          + " exits 0 when all are accepted, 1 when some are invalid or refused, 2 when some were"
          + " not delivered within the time budget."
    })
final class SendCommand implements Callable<Integer> {

  /** The source key's environment variable: a key on a command line shows in process lists. */
  static final String SOURCE_KEY_VARIABLE = "TELEMETRY_SOURCE_KEY";

  private static final TelemetryTypeId TRENTO_HOSTS =
      new TelemetryTypeId("trento", "host_telemetry", 1);

  @Spec CommandSpec spec;

  @Parameters(
      arity = "0..*",
      paramLabel = "FILE",
      description = "envelope files to publish; none, with --spool, sends what the spool holds")
  List<Path> files = new ArrayList<>();

  @Option(
      names = "--url",
      paramLabel = "URL",
      defaultValue = "http://localhost:8080",
      description = "the collector's base URL [default: ${DEFAULT-VALUE}]")
  URI url;

  @Option(
      names = "--source-key",
      paramLabel = "KEY",
      defaultValue = "${env:" + SOURCE_KEY_VARIABLE + "}",
      description = "the source key, sent as a bearer token [env " + SOURCE_KEY_VARIABLE + "]")
  String sourceKey;

  @Option(
      names = "--legacy-trento-hosts",
      description =
          "the files are bare arrays of hosts, as Trento posts to /api/collect/hosts; each is"
              + " published as an envelope of trento/host_telemetry v1 with the current time")
  boolean legacyTrentoHosts;

  @Option(
      names = "--spool",
      paramLabel = "DIR",
      description =
          "keep envelopes not yet acknowledged in DIR, and send those an earlier run left there")
  Path spool;

  @Option(
      names = "--time-budget",
      paramLabel = "DURATION",
      defaultValue = "1m",
      converter = TimeBudget.class,
      description =
          "how long to keep trying to deliver each envelope, waits included (e.g. 30s, 5m)"
              + " [default: ${DEFAULT-VALUE}]")
  Duration timeBudget;

  @Override
  public Integer call() {
    if (files.isEmpty() && spool == null) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "Missing FILE: name files to send, or a --spool to empty");
    }
    List<byte[]> contents = new ArrayList<>();
    for (Path file : files) {
      try {
        contents.add(Files.readAllBytes(file));
      } catch (IOException e) {
        throw new CommandLine.ParameterException(spec.commandLine(), file + ": cannot read: " + e);
      }
    }
    // Each outcome is printed below; the library's own warnings would only repeat them.
    if (System.getProperty("org.slf4j.simpleLogger.log.com.suse.telemetry.client") == null) {
      System.setProperty("org.slf4j.simpleLogger.log.com.suse.telemetry.client", "error");
    }
    PrintWriter out = spec.commandLine().getOut();
    Outcome outcome = Outcome.ALL_ACCEPTED;
    try (TelemetryPublisher publisher = publisher()) {
      // What an earlier run left in the spool is being sent already: listed before this run's
      // envelopes join the spool, so that the refusals below are the earlier run's.
      CompletableFuture<List<PublishResult>> earlier = publisher.resendSpooled();
      List<CompletableFuture<PublishResult>> results = new ArrayList<>();
      for (byte[] content : contents) {
        results.add(
            legacyTrentoHosts
                ? publisher.publishAsync(
                    TRENTO_HOSTS.application(),
                    TRENTO_HOSTS.telemetryType(),
                    TRENTO_HOSTS.schemaVersion(),
                    new String(content, StandardCharsets.UTF_8))
                : publisher.publishEnvelopeAsync(content));
      }
      for (int i = 0; i < files.size(); i++) {
        PublishResult result = join(results.get(i));
        print(out, files.get(i).toString(), result);
        outcome = outcome.and(Outcome.of(result));
      }
      if (spool != null) {
        outcome = outcome.and(printRefusals(out, join(earlier)));
        outcome = outcome.and(printLeft(out, publisher.spoolStatus()));
      }
    } catch (TelemetryException e) {
      out.flush();
      spec.commandLine().getErr().println(e.getMessage());
      return Outcome.NOT_DELIVERED.exitCode;
    }
    out.flush();
    return outcome.exitCode;
  }

  private TelemetryPublisher publisher() {
    TelemetryPublisher.Builder builder;
    try {
      builder = TelemetryPublisher.builder(url);
      if (sourceKey != null && !sourceKey.isBlank()) {
        builder.sourceKey(sourceKey);
      }
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
    builder
        .registry(Main.registry(spec))
        .retryPolicy(RetryPolicy.defaults().withTimeBudget(timeBudget))
        // Every delivery ends within the budget; close() need not wait for any.
        .closeTimeout(Duration.ZERO);
    if (spool != null) {
      builder.spoolDirectory(spool);
    }
    return builder.build();
  }

  private static void print(PrintWriter out, String file, PublishResult result) {
    switch (result.outcome()) {
      case ACCEPTED ->
          out.println(
              file + ": accepted " + result.accepted() + ", duplicates " + result.duplicates());
      case INVALID, REFUSED -> {
        for (Violation violation : result.violations()) {
          out.println(
              file
                  + ": "
                  + (violation.pointer().isEmpty() ? "/" : violation.pointer())
                  + ": "
                  // The collector's words: a hostile one must not write to the terminal.
                  + PrintableText.of(violation.message()));
        }
      }
      case SPOOLED, FAILED -> out.println(file + ": not delivered: " + result.detail());
    }
  }

  /** Each violation of each earlier envelope the collector refused, which left the spool. */
  private static Outcome printRefusals(PrintWriter out, List<PublishResult> earlier) {
    Outcome outcome = Outcome.ALL_ACCEPTED;
    for (PublishResult result : earlier) {
      if (result.outcome() == PublishResult.Outcome.REFUSED) {
        print(out, "spool: envelope " + result.envelopeId().orElseThrow(), result);
        outcome = Outcome.SOME_REFUSED;
      }
    }
    return outcome;
  }

  /** What the spool still holds, and what it dropped to keep within its size: undelivered. */
  private static Outcome printLeft(PrintWriter out, SpoolStatus status) {
    out.println(
        "spool: "
            + status.envelopes()
            + " envelope(s) left"
            + (status.droppedEnvelopes() == 0
                ? ""
                : ", " + status.droppedEnvelopes() + " dropped to keep within its size"));
    return status.envelopes() == 0 && status.droppedEnvelopes() == 0
        ? Outcome.ALL_ACCEPTED
        : Outcome.NOT_DELIVERED;
  }

  /** The value of {@code result}, or its failure (a spool that cannot be written) as it was. */
  private static <T> T join(CompletableFuture<T> result) {
    try {
      return result.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException failure) {
        throw failure;
      }
      throw e;
    }
  }

  /** The exit code: the worst of the outcomes. */
  private enum Outcome {
    ALL_ACCEPTED(0),
    SOME_REFUSED(1),
    NOT_DELIVERED(2);

    final int exitCode;

    Outcome(int exitCode) {
      this.exitCode = exitCode;
    }

    static Outcome of(PublishResult result) {
      return switch (result.outcome()) {
        case ACCEPTED -> ALL_ACCEPTED;
        case INVALID, REFUSED -> SOME_REFUSED;
        case SPOOLED, FAILED -> NOT_DELIVERED;
      };
    }

    Outcome and(Outcome other) {
      return other.ordinal() > ordinal() ? other : this;
    }
  }

  /** A duration as the collector's settings take them: {@code 500ms}, {@code 30s}, {@code 5m}. */
  static final class TimeBudget implements CommandLine.ITypeConverter<Duration> {

    private static final Setting<Duration> PARSER =
        Setting.duration(
            "time-budget", Duration.ofSeconds(1), Duration.ofDays(7), null, "the time budget");

    @Override
    public Duration convert(String text) {
      try {
        return PARSER.parse(text);
      } catch (InvalidSettingException e) {
        throw new CommandLine.TypeConversionException(
            "--time-budget must be a duration from 1s to 7d, such as 30s or 5m, was '"
                + PrintableText.of(text)
                + "'");
      }
    }
  }
}

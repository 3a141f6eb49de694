package com.suse.telemetry.app;

import com.suse.telemetry.core.PrintableText;
import com.suse.telemetry.core.TelemetryException;
import com.suse.telemetry.core.settings.InvalidSettingException;
import com.suse.telemetry.storage.postgres.PostgresDataSources;
import com.suse.telemetry.storage.postgres.PostgresParkedRecords;
import com.suse.telemetry.storage.postgres.PostgresReplay;
import com.suse.telemetry.storage.postgres.PostgresSettings;
import com.suse.telemetry.storage.postgres.PostgresSinks;
import com.zaxxer.hikari.HikariDataSource;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code outbox}: what waits to be forwarded to the secondary sinks, in PostgreSQL, looked after by
 * an operator. Each command reads the database settings as {@code serve} does.
 */
@Command(
    name = "outbox",
    mixinStandardHelpOptions = true,
    description = {
      "Looks after what is forwarded to the secondary sinks: lists the sinks, replays stored"
          + " records to a sink, lists, retries or drops parked records.",
      "Reads the database settings as 'serve' does."
    },
    subcommands = {
      OutboxCommand.Sinks.class,
      OutboxCommand.Replay.class,
      OutboxCommand.Parked.class,
      OutboxCommand.Retry.class,
      OutboxCommand.Drop.class,
      OutboxCommand.Disable.class
    })
final class OutboxCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    throw new CommandLine.ParameterException(
        spec.commandLine(),
        "Missing a command: "
            + String.join(", ", spec.commandLine().getSubcommands().keySet().stream().toList()));
  }

  /** Gives every {@code outbox} command the database settings, as options. */
  static void addSettings(CommandLine outbox) {
    outbox
        .getSubcommands()
        .values()
        .forEach(
            command -> SettingOptions.addTo(command.getCommandSpec(), PostgresSettings.SETTINGS));
  }

  /** What a command does with the database; returns its exit code. */
  @FunctionalInterface
  private interface Work {
    int run(HikariDataSource database, PrintWriter out) throws Exception;
  }

  /**
   * Runs {@code work} on the database of {@code spec}'s settings: exit 2 with one line for settings
   * or arguments that make no sense, 1 with one line when PostgreSQL fails.
   */
  private static int withDatabase(CommandSpec spec, Work work) throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PostgresSettings settings;
    try {
      settings =
          PostgresSettings.from(SettingOptions.valuesOf(spec, PostgresSettings.SETTINGS))
              .orElseThrow(
                  () ->
                      new CommandLine.ParameterException(
                          spec.commandLine(),
                          "The outbox is in PostgreSQL: set "
                              + PostgresSettings.URL.label()
                              + " or "
                              + PostgresSettings.HOST_NAME.label()));
    } catch (InvalidSettingException e) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "Invalid configuration: " + e.getMessage());
    }
    try (HikariDataSource database = PostgresDataSources.pooled(settings)) {
      return work.run(database, out);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    } catch (TelemetryException | IllegalStateException e) {
      spec.commandLine().getErr().println("Failed: " + e.getMessage());
      return 1;
    } finally {
      out.flush();
    }
  }

  /** The sink option every command acting on one sink has. */
  static final class SinkOption {
    @Option(
        names = "--sink",
        required = true,
        paramLabel = "NAME",
        description = "the sink, e.g. influxdb")
    String sink;
  }

  /** Which parked records: some by id, or all of the sink's. */
  static final class Which {
    @Option(
        names = "--id",
        paramLabel = "ID",
        split = ",",
        description = "a parked record's id, as 'outbox parked' lists it (repeatable)")
    List<Long> ids;

    @Option(names = "--all", description = "every record parked for the sink")
    boolean all;

    PostgresParkedRecords.Selection selection(String sink) {
      return all
          ? PostgresParkedRecords.Selection.all(sink)
          : new PostgresParkedRecords.Selection(sink, ids);
    }
  }

  /** Lists the sinks of the deployment. */
  @Command(
      name = "sinks",
      mixinStandardHelpOptions = true,
      description =
          "Lists the sinks of the deployment (registered by collectors configured with them),"
              + " with the records waiting for each and those parked.")
  static final class Sinks implements Callable<Integer> {

    @Spec CommandSpec spec;
    @Mixin ConfigOption config;

    @Override
    public Integer call() throws Exception {
      return withDatabase(
          spec,
          (database, out) -> {
            List<PostgresSinks.Sink> sinks = PostgresSinks.create(database).list();
            if (sinks.isEmpty()) {
              out.println("No sink is registered: no collector configured with one has started.");
            }
            for (PostgresSinks.Sink sink : sinks) {
              out.printf(
                  Locale.ROOT,
                  "%-20s %-8s %,12d pending %,10d parked  registered %s%n",
                  sink.name(),
                  sink.enabled() ? "enabled" : "disabled",
                  sink.pending(),
                  sink.parked(),
                  sink.registeredAt());
            }
            return 0;
          });
    }
  }

  /** Queues stored records for a sink again, over a time range. */
  @Command(
      name = "replay",
      mixinStandardHelpOptions = true,
      description = {
        "Queues the records stored with a record time from --from (included) to --to (excluded)"
            + " for a sink again, e.g. after the sink was enabled later than they were stored, or"
            + " lost data. Records already waiting for the sink are not queued twice; the sink"
            + " takes duplicates of records it holds as the same points.",
        "Walks the records in chunks, recording where it is: interrupted (Ctrl-C), it resumes"
            + " where it stopped when run again with the same arguments."
      })
  static final class Replay implements Callable<Integer> {

    @Spec CommandSpec spec;
    @Mixin ConfigOption config;
    @Mixin SinkOption sink;

    @Option(
        names = "--from",
        required = true,
        paramLabel = "TIME",
        description = "earliest record time, included: 2024-05-01 or 2024-05-01T12:00:00Z")
    String from;

    @Option(
        names = "--to",
        required = true,
        paramLabel = "TIME",
        description = "latest record time, excluded: 2024-06-01 or 2024-06-01T00:00:00Z")
    String to;

    @Option(
        names = "--type",
        paramLabel = "APPLICATION/TYPE",
        description = "only records of this telemetry type, e.g. trento/host_telemetry")
    String type;

    @Option(
        names = "--chunk",
        paramLabel = "RECORDS",
        defaultValue = "10000",
        description = "records queued per transaction (default ${DEFAULT-VALUE})")
    int chunk;

    @Override
    public Integer call() throws Exception {
      PostgresReplay.Range range = range();
      return withDatabase(
          spec,
          (database, out) -> {
            PostgresSinks.create(database).requireEnabled(sink.sink);
            out.println("Replaying " + PostgresReplay.describe(range));
            out.flush();
            ReplayProgress progress =
                System.console() != null
                    ? ReplayProgress.bar(out)
                    : ReplayProgress.lines(out, Duration.ofSeconds(10));
            AtomicBoolean stopping = new AtomicBoolean();
            CountDownLatch stopped = new CountDownLatch(1);
            // Ctrl-C or SIGTERM: the chunk in hand is finished and its position kept.
            Thread finish =
                new Thread(
                    () -> {
                      stopping.set(true);
                      awaitQuietly(stopped);
                    },
                    "replay-shutdown");
            Runtime.getRuntime().addShutdownHook(finish);
            try {
              PostgresReplay.Progress done;
              try {
                done =
                    PostgresReplay.create(database, chunk)
                        .run(range, progress, () -> !stopping.get());
              } finally {
                progress.end();
              }
              return report(out, range, done);
            } finally {
              stopped.countDown();
              if (!stopping.get()) {
                try {
                  Runtime.getRuntime().removeShutdownHook(finish);
                } catch (IllegalStateException stoppingNow) {
                  // the hook runs, and finds the replay done
                }
              }
            }
          });
    }

    private static int report(
        PrintWriter out, PostgresReplay.Range range, PostgresReplay.Progress done) {
      if (!done.finished()) {
        out.printf(
            Locale.ROOT,
            "Interrupted after %,d of %,d records (%,d queued); run the same command again"
                + " to resume.%n",
            done.walked(),
            done.total(),
            done.queued());
        out.flush();
        return 1;
      }
      out.printf(
          Locale.ROOT,
          "Done: %,d records walked, %,d queued for %s (%,d were waiting already).%n",
          done.walked(),
          done.queued(),
          range.sink(),
          done.walked() - done.queued());
      return 0;
    }

    private PostgresReplay.Range range() {
      try {
        PostgresReplay.Range range =
            PostgresReplay.Range.of(sink.sink, instant(from, "--from"), instant(to, "--to"));
        if (type == null) {
          return range;
        }
        String[] parts = type.split("/", -1);
        if (parts.length != 2) {
          throw new IllegalArgumentException(
              "--type is application/telemetry_type, e.g. trento/host_telemetry, was " + type);
        }
        return range.ofType(parts[0], parts[1]);
      } catch (IllegalArgumentException e) {
        throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
      }
    }

    private static Instant instant(String text, String option) {
      List<Function<String, Instant>> formats =
          List.of(
              t -> LocalDate.parse(t).atStartOfDay(ZoneOffset.UTC).toInstant(),
              t -> OffsetDateTime.parse(t).toInstant());
      for (Function<String, Instant> format : formats) {
        try {
          return format.apply(text.trim());
        } catch (DateTimeParseException e) {
          // the next format, then the message below
        }
      }
      throw new IllegalArgumentException(
          option
              + " must be a date (2024-05-01, midnight UTC) or an RFC 3339 time"
              + " (2024-05-01T12:00:00Z), was '"
              + PrintableText.of(text)
              + "'");
    }

    private static void awaitQuietly(CountDownLatch latch) {
      try {
        latch.await(60, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Lists parked records. */
  @Command(
      name = "parked",
      mixinStandardHelpOptions = true,
      description =
          "Lists the records parked for a sink (or every sink): refused by it, values it cannot"
              + " hold, or failing on their own until their attempts ran out; with the reason.")
  static final class Parked implements Callable<Integer> {

    @Spec CommandSpec spec;
    @Mixin ConfigOption config;

    @Option(names = "--sink", paramLabel = "NAME", description = "only this sink's")
    String sink;

    @Option(
        names = "--limit",
        paramLabel = "N",
        defaultValue = "100",
        description = "at most this many, oldest parked first (default ${DEFAULT-VALUE})")
    int limit;

    @Override
    public Integer call() throws Exception {
      return withDatabase(
          spec,
          (database, out) -> {
            List<PostgresParkedRecords.ParkedRecord> parked =
                PostgresParkedRecords.create(database).list(Optional.ofNullable(sink), limit);
            if (parked.isEmpty()) {
              out.println("No record is parked" + (sink == null ? "." : " for " + sink + "."));
            }
            for (PostgresParkedRecords.ParkedRecord record : parked) {
              out.printf(
                  Locale.ROOT,
                  "%s id %d: %s at %s, parked %s after %d attempt(s): %s%n",
                  record.sink(),
                  record.id(),
                  record.type() == null ? "(record deleted)" : record.type(),
                  record.time(),
                  record.parkedAt(),
                  record.attempts(),
                  PrintableText.of(record.reason(), 1000));
            }
            return 0;
          });
    }
  }

  /** Queues parked records again. */
  @Command(
      name = "retry",
      mixinStandardHelpOptions = true,
      description = "Queues parked records for their sink again, their attempts counted anew.")
  static final class Retry implements Callable<Integer> {

    @Spec CommandSpec spec;
    @Mixin ConfigOption config;
    @Mixin SinkOption sink;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Which which;

    @Override
    public Integer call() throws Exception {
      return withDatabase(
          spec,
          (database, out) -> {
            long queued = PostgresParkedRecords.create(database).retry(which.selection(sink.sink));
            out.printf(
                Locale.ROOT, "%,d parked record(s) queued for %s again.%n", queued, sink.sink);
            return 0;
          });
    }
  }

  /** Drops parked records for good. */
  @Command(
      name = "drop",
      mixinStandardHelpOptions = true,
      description =
          "Drops parked records for their sink: they are never sent to it (they stay stored in"
              + " PostgreSQL).")
  static final class Drop implements Callable<Integer> {

    @Spec CommandSpec spec;
    @Mixin ConfigOption config;
    @Mixin SinkOption sink;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Which which;

    @Override
    public Integer call() throws Exception {
      return withDatabase(
          spec,
          (database, out) -> {
            long dropped = PostgresParkedRecords.create(database).drop(which.selection(sink.sink));
            out.printf(Locale.ROOT, "%,d parked record(s) dropped for %s.%n", dropped, sink.sink);
            return 0;
          });
    }
  }

  /** Stops queuing records for a sink. */
  @Command(
      name = "disable",
      mixinStandardHelpOptions = true,
      description =
          "Stops queuing records for a sink taken out of service, and forgets those waiting for"
              + " it; a collector still configured with it enables it again when it starts.")
  static final class Disable implements Callable<Integer> {

    @Spec CommandSpec spec;
    @Mixin ConfigOption config;
    @Mixin SinkOption sink;

    @Override
    public Integer call() throws Exception {
      return withDatabase(
          spec,
          (database, out) -> {
            long forgotten = PostgresSinks.create(database).disable(sink.sink);
            out.printf(
                Locale.ROOT,
                "Sink %s disabled; %,d waiting record(s) forgotten.%n",
                sink.sink,
                forgotten);
            return 0;
          });
    }
  }
}

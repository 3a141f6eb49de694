package com.suse.telemetry.app;

import com.suse.telemetry.core.TelemetryException;
import com.suse.telemetry.core.settings.InvalidSettingException;
import com.suse.telemetry.core.settings.Setting;
import com.suse.telemetry.storage.postgres.PostgresRetention;
import com.suse.telemetry.storage.postgres.PostgresSettings;
import com.suse.telemetry.storage.postgres.RetentionResult;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Removes telemetry older than a date now, as retention would: months entirely before it dropped
 * whole, older records of the partition below the months deleted, envelope ids received before it
 * forgotten.
 */
@Command(
    name = "purge",
    mixinStandardHelpOptions = true,
    description = {
      "Removes the telemetry recorded before a date (and the envelope ids received before it), on"
          + " the database the collector is configured with.",
      "Months that end by then are dropped whole; the records of the month in which it falls stay"
          + " until that whole month is past."
    })
final class Purge implements Callable<Integer> {

  /** The settings purge reads: where the database is. */
  static final List<Setting<?>> SETTINGS =
      Stream.concat(PostgresSettings.SETTINGS.stream(), Stream.of(Settings.DATA_DIR)).toList();

  @Spec CommandSpec spec;
  @Mixin ConfigOption config;

  @Option(
      names = "--older-than",
      required = true,
      paramLabel = "WHEN",
      description =
          "a date (2024-06-01), a date-time (2024-06-01T00:00:00Z) or an age such as 400d")
  String olderThan;

  private final Clock clock;

  Purge() {
    this(Clock.systemUTC());
  }

  Purge(Clock clock) {
    this.clock = clock;
  }

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    Instant cutoff = cutoff(olderThan);
    try (OperatorDatabase database =
        OperatorDatabase.open(SettingOptions.valuesOf(spec, SETTINGS))) {
      PostgresRetention retention = PostgresRetention.create(database.pool);
      RetentionResult result = retention.dropOlderThan(cutoff);
      long forgotten = retention.forgetEnvelopesReceivedBefore(cutoff);
      for (RetentionResult.DroppedPartition partition : result.droppedPartitions()) {
        out.printf("dropped %s (%d records)%n", partition.name(), partition.rows());
      }
      out.printf(
          "removed %d record(s) recorded before %s, forgot %d envelope id(s)%n",
          result.rows(), cutoff, forgotten);
      return 0;
    } catch (InvalidSettingException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    } catch (TelemetryException e) {
      spec.commandLine().getErr().println("Cannot purge: " + e.getMessage());
      return 1;
    }
  }

  private Instant cutoff(String when) {
    try {
      return LocalDate.parse(when).atStartOfDay(ZoneOffset.UTC).toInstant();
    } catch (DateTimeParseException notADate) {
      // Perhaps a date-time, or an age.
    }
    try {
      return OffsetDateTime.parse(when).toInstant();
    } catch (DateTimeParseException notADateTime) {
      // Perhaps an age.
    }
    Setting<Duration> age =
        Setting.duration("older-than", Duration.ZERO, Duration.ofDays(36_500), null, "age");
    try {
      return clock.instant().minus(age.parse(when));
    } catch (InvalidSettingException e) {
      throw new CommandLine.ParameterException(
          spec.commandLine(),
          "--older-than must be a date (2024-06-01), a date-time (2024-06-01T00:00:00Z) or an"
              + " age (400d), was '"
              + when
              + "'");
    }
  }
}

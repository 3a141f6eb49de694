package com.suse.telemetry.app;

import com.suse.telemetry.core.PrintableText;
import com.suse.telemetry.core.TelemetryException;
import com.suse.telemetry.core.TelemetryTypeRegistry;
import com.suse.telemetry.core.Violation;
import com.suse.telemetry.core.quarantine.QuarantineFilter;
import com.suse.telemetry.core.quarantine.QuarantineGroup;
import com.suse.telemetry.core.quarantine.QuarantineReplay;
import com.suse.telemetry.core.quarantine.QuarantineSettings;
import com.suse.telemetry.core.quarantine.QuarantinedSubmission;
import com.suse.telemetry.core.quarantine.SubmissionRoute;
import com.suse.telemetry.core.settings.InvalidSettingException;
import com.suse.telemetry.core.settings.Setting;
import com.suse.telemetry.core.settings.SettingValues;
import com.suse.telemetry.core.spi.Quarantine;
import com.suse.telemetry.storage.postgres.PostgresQuarantine;
import com.suse.telemetry.storage.postgres.PostgresSettings;
import com.suse.telemetry.storage.postgres.PostgresTelemetryStore;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code quarantine list|show|replay|purge}: the submissions rejected by validation, kept by the
 * collector, on the database {@code serve} is configured with.
 */
@Command(
    name = "quarantine",
    mixinStandardHelpOptions = true,
    description = {
      "Inspects, replays and purges the submissions the collector rejected by validation (400)"
          + " and kept.",
      "Reads the same database settings as 'serve'."
    },
    subcommands = {
      QuarantineCommand.ListCommand.class,
      QuarantineCommand.ShowCommand.class,
      QuarantineCommand.ReplayCommand.class,
      QuarantineCommand.PurgeCommand.class
    })
final class QuarantineCommand implements Callable<Integer> {

  private static final int MAX_GROUPS = 50;
  private static final Pattern AGO = Pattern.compile("([0-9]{1,6})([mhd])");

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getErr());
    return 2;
  }

  /** Adds the settings each command reads to its options. */
  static void addSettings(CommandLine quarantine) {
    List<Setting<?>> database =
        Stream.concat(
                PostgresSettings.SETTINGS.stream(), Stream.of(Settings.DATA_DIR, Settings.DEBUG))
            .toList();
    quarantine
        .getSubcommands()
        .values()
        .forEach(command -> SettingOptions.addTo(command.getCommandSpec(), database));
    SettingOptions.addTo(
        quarantine.getSubcommands().get("list").getCommandSpec(),
        List.of(QuarantineSettings.MAX_SIZE));
    SettingOptions.addTo(
        quarantine.getSubcommands().get("replay").getCommandSpec(), List.of(Settings.SCHEMAS_DIR));
  }

  /** What a command does with the database open. */
  @FunctionalInterface
  private interface Work {
    int run(OperatorDatabase database, SettingValues values, PrintWriter out);
  }

  /** Opens the database, runs {@code work}, and turns failures into one line and an exit code. */
  private static int withDatabase(CommandSpec spec, Work work) {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    try {
      SettingValues values = SettingOptions.valuesOf(spec, Settings.ALL);
      try (OperatorDatabase database = OperatorDatabase.open(values)) {
        return work.run(database, values, out);
      } finally {
        out.flush();
      }
    } catch (InvalidSettingException e) {
      err.println("Invalid configuration: " + e.getMessage());
      return 2;
    } catch (TelemetryException e) {
      err.println("Failed: " + e.getMessage());
      return 1;
    }
  }

  /** Parses {@code --since} and {@code --before}: a date-time, a date, or a time ago. */
  static final class TimeConverter implements CommandLine.ITypeConverter<Instant> {
    @Override
    public Instant convert(String text) {
      Matcher ago = AGO.matcher(text.trim().toLowerCase(Locale.ROOT));
      if (ago.matches()) {
        long amount = Long.parseLong(ago.group(1));
        Duration unit =
            switch (ago.group(2)) {
              case "m" -> Duration.ofMinutes(1);
              case "h" -> Duration.ofHours(1);
              default -> Duration.ofDays(1);
            };
        return Instant.now().minus(unit.multipliedBy(amount));
      }
      try {
        return text.length() == 10
            ? LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant()
            : OffsetDateTime.parse(text).toInstant();
      } catch (DateTimeParseException e) {
        throw new CommandLine.TypeConversionException(
            "must be an RFC 3339 date-time (2025-03-01T12:00:00Z), a date (2025-03-01) or a"
                + " time ago (30m, 12h, 7d), was '"
                + PrintableText.of(text)
                + "'");
      }
    }
  }

  /** Parses {@code --type application/type}. */
  static final class TypeConverter implements CommandLine.ITypeConverter<QuarantineFilter> {
    @Override
    public QuarantineFilter convert(String text) {
      try {
        return QuarantineFilter.ofType(text);
      } catch (IllegalArgumentException e) {
        throw new CommandLine.TypeConversionException(e.getMessage());
      }
    }
  }

  private static QuarantineFilter filter(QuarantineFilter type, Instant since, Instant before) {
    QuarantineFilter filter = type == null ? QuarantineFilter.all() : type;
    if (since != null) {
      filter = filter.since(since);
    }
    if (before != null) {
      filter = filter.before(before);
    }
    return filter;
  }

  private static String size(long bytes) {
    if (bytes < 1024) {
      return bytes + " B";
    }
    String[] units = {"KiB", "MiB", "GiB", "TiB"};
    double value = bytes;
    int unit = -1;
    while (value >= 1024 && unit < units.length - 1) {
      value /= 1024;
      unit++;
    }
    return String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
  }

  /** Lists what the quarantine holds, grouped as an operator reads it first. */
  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description = {
        "Lists the quarantined submissions grouped by claimed telemetry type and first violation,"
            + " the groups received most often first;",
        "with --entries, the entries themselves, latest first."
      })
  static final class ListCommand implements Callable<Integer> {

    @Spec CommandSpec spec;
    @CommandLine.Mixin ConfigOption config;

    @Option(names = "--entries", description = "list entries, not groups")
    boolean entries;

    @Option(
        names = "--type",
        paramLabel = "APP/TYPE",
        converter = TypeConverter.class,
        description = "with --entries: only those that claimed this type")
    QuarantineFilter type;

    @Option(
        names = "--limit",
        defaultValue = "20",
        description = "with --entries: at most this many (default ${DEFAULT-VALUE})")
    int limit;

    @Override
    public Integer call() {
      return withDatabase(
          spec,
          (database, values, out) -> {
            Quarantine quarantine = PostgresQuarantine.create(database.pool);
            Quarantine.Usage usage = quarantine.usage();
            if (entries) {
              printEntries(quarantine, out);
            } else {
              printGroups(quarantine.groups(MAX_GROUPS), out);
            }
            out.printf(
                "Quarantine: %d entries, %s of its %s cap%n",
                usage.entries(),
                size(usage.bytes()),
                size(values.get(QuarantineSettings.MAX_SIZE)));
            return 0;
          });
    }

    private static void printGroups(List<QuarantineGroup> groups, PrintWriter out) {
      if (groups.isEmpty()) {
        out.println("Nothing is quarantined.");
        return;
      }
      out.printf(
          "%9s %7s  %-28s %-20s %8s  %s%n",
          "RECEIVED", "BODIES", "CLAIMED TYPE", "LAST RECEIVED", "SHOW ID", "FIRST VIOLATION");
      for (QuarantineGroup group : groups) {
        out.printf(
            "%9d %7d  %-28s %-20s %8d  %s%n",
            group.timesReceived(),
            group.entries(),
            group.claimedType(),
            group.lastReceived().truncatedTo(ChronoUnit.SECONDS),
            group.latestId(),
            PrintableText.of(group.firstViolation(), 160));
      }
    }

    private void printEntries(Quarantine quarantine, PrintWriter out) {
      QuarantineFilter filter = type == null ? QuarantineFilter.all() : type;
      // The latest ids, then those entries one at a time: a body may be megabytes.
      ArrayDeque<Long> latest = new ArrayDeque<>();
      long after = 0;
      List<Long> page;
      while (!(page = quarantine.ids(filter, after, 10_000)).isEmpty()) {
        for (long id : page) {
          latest.addFirst(id);
          if (latest.size() > limit) {
            latest.removeLast();
          }
        }
        after = page.get(page.size() - 1);
      }
      out.printf(
          "%8s %9s  %-28s %-20s  %s%n",
          "ID", "RECEIVED", "CLAIMED TYPE", "LAST RECEIVED", "FIRST VIOLATION");
      for (long id : latest) {
        QuarantinedSubmission entry = quarantine.find(id).orElse(null);
        if (entry == null) {
          continue;
        }
        out.printf(
            "%8d %9d  %-28s %-20s  %s%n",
            entry.id(),
            entry.timesReceived(),
            entry.claimedType(),
            entry.lastReceived().truncatedTo(ChronoUnit.SECONDS),
            PrintableText.of(entry.firstViolation(), 160));
      }
    }
  }

  /** Shows one quarantined submission: its facts, every violation and its body. */
  @Command(
      name = "show",
      mixinStandardHelpOptions = true,
      description = "Shows one quarantined submission: its facts, every violation and its body.")
  static final class ShowCommand implements Callable<Integer> {

    @Spec CommandSpec spec;
    @CommandLine.Mixin ConfigOption config;

    @Parameters(paramLabel = "ID", description = "as 'quarantine list' shows it")
    long id;

    @Override
    public Integer call() {
      return withDatabase(
          spec,
          (database, values, out) -> {
            QuarantinedSubmission entry =
                PostgresQuarantine.create(database.pool).find(id).orElse(null);
            if (entry == null) {
              spec.commandLine().getErr().println("No quarantined submission " + id);
              return 1;
            }
            out.println("Quarantined submission " + entry.id());
            out.println(
                "  route:         "
                    + (entry.route() == SubmissionRoute.ENVELOPE
                        ? "POST /api/v1/telemetry (envelope)"
                        : "POST /api/collect/hosts (legacy Trento hosts)"));
            out.println("  media type:    " + PrintableText.of(entry.mediaType()));
            out.println("  claimed type:  " + entry.claimedType());
            out.println(
                "  received:      "
                    + entry.timesReceived()
                    + " time(s), first "
                    + entry.firstReceived()
                    + ", last "
                    + entry.lastReceived());
            out.println("  fingerprint:   " + entry.fingerprint());
            out.println(
                "  body:          "
                    + entry.receivedSize()
                    + " bytes"
                    + (entry.isTruncated()
                        ? ", not JSON: only its first " + entry.body().length + " are kept"
                        : ""));
            out.println("  violations:");
            for (Violation violation : entry.violations()) {
              out.println("    " + PrintableText.of(violation.toString(), 1000));
            }
            out.println();
            // Sent by a client: shown with its line breaks, every other control escaped.
            for (String line : entry.bodyText().split("\n", -1)) {
              out.println(PrintableText.of(line, Integer.MAX_VALUE));
            }
            return 0;
          });
    }
  }

  /** Ingests what the registry now accepts. */
  @Command(
      name = "replay",
      mixinStandardHelpOptions = true,
      description = {
        "Validates quarantined submissions again against the telemetry types as they are now"
            + " (with any --schemas-dir), stores those that pass as any submission (records stored"
            + " once, forwarded like any other) and removes them from the quarantine.",
        "Each is taken as what it was: an envelope, or a legacy Trento bare array of"
            + " trento/host_telemetry v1; --as-version takes the bodies of one --type as another"
            + " version of it."
      })
  static final class ReplayCommand implements Callable<Integer> {

    @Spec CommandSpec spec;
    @CommandLine.Mixin ConfigOption config;

    @Option(
        names = "--type",
        paramLabel = "APP/TYPE",
        converter = TypeConverter.class,
        description = "only those that claimed this telemetry type, e.g. trento/host_telemetry")
    QuarantineFilter type;

    @Option(
        names = "--since",
        paramLabel = "TIME",
        converter = TimeConverter.class,
        description = "only those last received since: 2025-03-01T12:00:00Z, 2025-03-01 or 7d")
    Instant since;

    @Option(
        names = "--as-version",
        paramLabel = "N",
        description = "take them as version N of --type (e.g. the version that added a field)")
    int asVersion;

    @Option(names = "--dry-run", description = "validate only: store and remove nothing")
    boolean dryRun;

    @Override
    public Integer call() {
      if (asVersion != 0 && type == null) {
        throw new CommandLine.ParameterException(spec.commandLine(), "--as-version needs --type");
      }
      if (asVersion < 0) {
        throw new CommandLine.ParameterException(
            spec.commandLine(), "--as-version must be 1 or more");
      }
      return withDatabase(
          spec,
          (database, values, out) -> {
            TelemetryTypeRegistry registry;
            try {
              TelemetryTypeRegistry.Builder builder = TelemetryTypeRegistry.builder();
              values.get(Settings.SCHEMAS_DIR).forEach(builder::addDirectory);
              registry = builder.build();
            } catch (TelemetryException e) {
              spec.commandLine().getErr().println("Invalid telemetry types: " + e.getMessage());
              return 2;
            }
            // Replayed records are forwarded like any other: queued for every enabled sink.
            QuarantineReplay replay =
                QuarantineReplay.create(
                    PostgresQuarantine.create(database.pool),
                    registry,
                    PostgresTelemetryStore.create(database.pool));
            ReplayProgressView progress =
                ReplayProgressView.of(out, System.console() != null, Duration.ofSeconds(5));
            QuarantineReplay.Report report;
            try {
              report =
                  replay.run(
                      new QuarantineReplay.Options(filter(type, since, null), asVersion, dryRun),
                      progress);
            } catch (IllegalArgumentException e) {
              progress.finish();
              spec.commandLine().getErr().println(e.getMessage());
              return 2;
            }
            progress.finish();
            if (dryRun) {
              out.printf(
                  "Dry run: %d of %d would be stored (%d records); %d still invalid. Nothing was"
                      + " changed.%n",
                  report.replayed(), report.total(), report.records(), report.stillInvalid());
            } else {
              out.printf(
                  "Replayed %d of %d: %d records stored, %d already stored; %d still invalid,"
                      + " left in the quarantine.%n",
                  report.replayed(),
                  report.total(),
                  report.records(),
                  report.duplicates(),
                  report.stillInvalid());
            }
            return 0;
          });
    }
  }

  /** Removes quarantined submissions. */
  @Command(
      name = "purge",
      mixinStandardHelpOptions = true,
      description = "Removes quarantined submissions: those named by the options, or --all.")
  static final class PurgeCommand implements Callable<Integer> {

    @Spec CommandSpec spec;
    @CommandLine.Mixin ConfigOption config;

    @Option(
        names = "--before",
        paramLabel = "TIME",
        converter = TimeConverter.class,
        description = "those last received before: 2025-03-01T12:00:00Z, 2025-03-01 or 7d (ago)")
    Instant before;

    @Option(
        names = "--type",
        paramLabel = "APP/TYPE",
        converter = TypeConverter.class,
        description = "those that claimed this telemetry type")
    QuarantineFilter type;

    @Option(names = "--all", description = "everything")
    boolean all;

    @Override
    public Integer call() {
      if (before == null && type == null && !all) {
        throw new CommandLine.ParameterException(
            spec.commandLine(), "name what to purge: --before, --type, or --all");
      }
      return withDatabase(
          spec,
          (database, values, out) -> {
            long purged =
                PostgresQuarantine.create(database.pool).purge(filter(type, null, before));
            out.println("Purged " + purged + " quarantined submission(s).");
            return 0;
          });
    }
  }
}

package com.suse.telemetry.app;

import com.suse.telemetry.core.TelemetryException;
import com.suse.telemetry.core.TelemetryTypeId;
import com.suse.telemetry.core.keys.SourceKey;
import com.suse.telemetry.core.keys.SourceKeyTokens;
import com.suse.telemetry.core.settings.InvalidSettingException;
import com.suse.telemetry.core.settings.Setting;
import com.suse.telemetry.storage.postgres.PostgresSettings;
import com.suse.telemetry.storage.postgres.PostgresSourceKeys;
import java.io.PrintWriter;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * Manages source keys on the database the collector is configured with: {@code keys create}, {@code
 * keys list}, {@code keys revoke}. Every collector on that database sees a change within its
 * refresh interval.
 */
@Command(
    name = "keys",
    mixinStandardHelpOptions = true,
    description = "Manages source keys (Authorization: Bearer) on the configured database.",
    subcommands = {Keys.CreateKey.class, Keys.ListKeys.class, Keys.RevokeKey.class})
final class Keys {

  /** The settings the key commands read: where the database is. */
  static final List<Setting<?>> SETTINGS =
      Stream.concat(PostgresSettings.SETTINGS.stream(), Stream.of(Settings.DATA_DIR)).toList();

  @Spec CommandSpec spec;

  /** Runs {@code work} on the configured database's keys, migrated first. */
  <T> T onKeys(CommandSpec command, Function<PostgresSourceKeys, T> work) {
    OperatorDatabase database;
    try {
      database = OperatorDatabase.open(SettingOptions.valuesOf(command, SETTINGS));
    } catch (InvalidSettingException e) {
      throw new CommandLine.ParameterException(command.commandLine(), e.getMessage());
    }
    try (database) {
      return work.apply(PostgresSourceKeys.create(database.pool));
    }
  }

  /** Makes a key and prints it, once, alone on the last line. */
  @Command(
      name = "create",
      mixinStandardHelpOptions = true,
      description = {
        "Makes a source key for one or more applications and prints it once, alone on the last"
            + " line (only a hash of it is kept)."
      })
  static final class CreateKey implements Callable<Integer> {

    @ParentCommand Keys keys;
    @Spec CommandSpec spec;
    @Mixin ConfigOption config;

    @Option(
        names = "--application",
        required = true,
        paramLabel = "APP",
        description = "an application the key may publish for (repeatable)")
    List<String> applications;

    @Option(names = "--note", paramLabel = "TEXT", description = "what the key is for")
    String note = "";

    @Override
    public Integer call() {
      for (String application : applications) {
        if (!TelemetryTypeId.isValidName(application)) {
          throw new CommandLine.ParameterException(
              spec.commandLine(),
              "--application must match [a-z][a-z0-9_]*, was '" + application + "'");
        }
      }
      SourceKeyTokens.Issued issued =
          SourceKeyTokens.issue(new LinkedHashSet<>(applications), note, Instant.now());
      return run(
          spec,
          () ->
              keys.onKeys(
                  spec,
                  store -> {
                    store.add(issued.key());
                    return null;
                  }),
          out -> {
            out.println(
                "Created source key "
                    + issued.key().id()
                    + " for "
                    + String.join(", ", applications)
                    + ". It is shown this once; give it to the source (Authorization: Bearer):");
            out.println(issued.token());
          });
    }
  }

  /** Lists the keys: never a secret. */
  @Command(name = "list", mixinStandardHelpOptions = true, description = "Lists the source keys.")
  static final class ListKeys implements Callable<Integer> {

    @ParentCommand Keys keys;
    @Spec CommandSpec spec;
    @Mixin ConfigOption config;

    @Override
    public Integer call() {
      List<SourceKey> all = new ArrayList<>();
      return run(
          spec,
          () -> keys.onKeys(spec, store -> all.addAll(store.all())),
          out -> {
            out.printf(
                "%-12s  %-24s  %-20s  %-20s  %s%n",
                "ID", "APPLICATIONS", "CREATED", "REVOKED", "NOTE");
            for (SourceKey key : all) {
              out.printf(
                  "%-12s  %-24s  %-20s  %-20s  %s%n",
                  key.id(),
                  String.join(",", key.applications().stream().sorted().toList()),
                  key.createdAt().truncatedTo(ChronoUnit.SECONDS),
                  key.revoked().map(t -> t.truncatedTo(ChronoUnit.SECONDS).toString()).orElse("-"),
                  key.note());
            }
          });
    }
  }

  /** Revokes a key. */
  @Command(
      name = "revoke",
      mixinStandardHelpOptions = true,
      description =
          "Revokes a source key: every collector on the database refuses it within its refresh"
              + " interval (TELEMETRY_AUTH_REFRESH_INTERVAL).")
  static final class RevokeKey implements Callable<Integer> {

    @ParentCommand Keys keys;
    @Spec CommandSpec spec;
    @Mixin ConfigOption config;

    @Parameters(paramLabel = "ID", description = "the key's id, as 'keys list' shows it")
    String id;

    @Override
    public Integer call() {
      boolean[] revoked = new boolean[1];
      int exit =
          run(
              spec,
              () -> keys.onKeys(spec, store -> revoked[0] = store.revoke(id)),
              out ->
                  out.println(
                      revoked[0]
                          ? "Revoked source key " + id
                          : "No valid source key " + id + " (unknown or revoked already)"));
      return exit == 0 && !revoked[0] ? 1 : exit;
    }
  }

  /** Runs a key command: its one line on failure, exit 1. */
  private static int run(CommandSpec spec, Runnable work, Consumer<PrintWriter> report) {
    try {
      work.run();
    } catch (TelemetryException e) {
      spec.commandLine().getErr().println("Cannot manage source keys: " + e.getMessage());
      return 1;
    }
    PrintWriter out = spec.commandLine().getOut();
    report.accept(out);
    out.flush();
    return 0;
  }
}

package com.suse.telemetry.app;

import com.suse.telemetry.core.LintFinding;
import com.suse.telemetry.core.SchemaLint;
import com.suse.telemetry.core.SchemaLock;
import com.suse.telemetry.core.TelemetryTypeRegistry;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code schemas lint}: checks telemetry types before they are published. */
@Command(
    name = "schemas",
    mixinStandardHelpOptions = true,
    description = "Checks telemetry type schemas before they are published.",
    subcommands = {SchemasCommand.LintCommand.class})
final class SchemasCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getErr());
    return 2;
  }

  /** Adds the settings its commands read to their options. */
  static void addSettings(CommandLine schemas) {
    SettingOptions.addTo(
        schemas.getSubcommands().get("lint").getCommandSpec(), List.of(Settings.SCHEMAS_DIR));
  }

  /** Lints new or changed telemetry types. */
  @Command(
      name = "lint",
      mixinStandardHelpOptions = true,
      description = {
        "Checks telemetry type schemas: each compiles, its x-telemetry metadata names real"
            + " properties, its examples pass and fail as filed, a published version (in the"
            + " directory's "
            + SchemaLock.FILE_NAME
            + ") is unchanged; and reports what a new version rejects that the previous one"
            + " accepted (its valid examples, and the schemas compared property by property).",
        "Checks the FILEs (each <dir>/<application>/<type>/vN.schema.json), else every type in"
            + " each --schemas-dir, else in ./schemas. Exits 0 without errors, 1 with, 2 on usage"
            + " errors."
      })
  static final class LintCommand implements Callable<Integer> {

    @Spec CommandSpec spec;

    @Parameters(arity = "0..*", paramLabel = "FILE", description = "schema files to check")
    List<Path> files = new ArrayList<>();

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      List<Path> directories =
          SettingOptions.valuesOf(spec, List.of(Settings.SCHEMAS_DIR)).get(Settings.SCHEMAS_DIR);
      if (files.isEmpty() && directories.isEmpty()) {
        if (!Files.isDirectory(Path.of("schemas"))) {
          throw new CommandLine.ParameterException(
              spec.commandLine(), "name schema files or --schemas-dir (no ./schemas here)");
        }
        directories = List.of(Path.of("schemas"));
      }
      SchemaLint lint =
          SchemaLint.create(TelemetryTypeRegistry.bundled(), SinkProviders.typeMetadata());
      List<LintFinding> findings = new ArrayList<>();
      int checked = 0;
      for (Path file : files) {
        try {
          findings.addAll(lint.lint(file));
        } catch (IllegalArgumentException e) {
          throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        checked++;
      }
      for (Path directory : directories) {
        checked += SchemaLint.schemaFiles(directory).size();
        findings.addAll(lint.lintDirectory(directory));
      }
      findings.forEach(out::println);
      long errors = count(findings, LintFinding.Level.ERROR);
      out.printf(
          "%d schema(s) checked: %d error(s), %d warning(s)%n",
          checked, errors, count(findings, LintFinding.Level.WARNING));
      out.flush();
      return errors > 0 ? 1 : 0;
    }

    private static long count(List<LintFinding> findings, LintFinding.Level level) {
      return findings.stream().filter(f -> f.level() == level).count();
    }
  }
}

package com.suse.telemetry.app;

import com.suse.telemetry.core.TelemetryException;
import com.suse.telemetry.core.TelemetryType;
import com.suse.telemetry.core.TelemetryTypeId;
import com.suse.telemetry.core.TelemetryTypeRegistry;
import com.suse.telemetry.core.TelemetryValidator;
import com.suse.telemetry.core.ValidationResult;
import com.suse.telemetry.core.Violation;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * The collector's command line: {@code serve} (the default), {@code validate} and {@code types}.
 */
@Command(
    name = "telemetry-collector",
    mixinStandardHelpOptions = true,
    version = "Telemetry Collector 0.1.0",
    description = "Collects, validates and stores anonymous telemetry published by SUSE products.",
    subcommands = {Main.Serve.class, Main.Validate.class, Main.Types.class},
    footer =
        "%nWithout a command, runs 'serve'. Exit codes: 0 success, 1 failure or invalid"
            + " telemetry, 2 usage or configuration error.")
public final class Main {

  private Main() {}

  /** Runs the command line and exits with its code. */
  public static void main(String[] args) {
    Logging.configure(args, System.getenv());
    System.exit(run(args));
  }

  /** Runs the command line; returns the exit code ({@code serve} returns only on failure). */
  static int run(String... args) {
    return commandLine().execute(withDefaultCommand(args));
  }

  static CommandLine commandLine() {
    CommandLine commandLine = new CommandLine(new Main());
    CommandSpec serve = commandLine.getSubcommands().get("serve").getCommandSpec();
    for (SettingsReader.Setting setting : SettingsReader.Setting.values()) {
      OptionSpec.Builder option =
          OptionSpec.builder(setting.option)
              .description(setting.description + " [env " + setting.variable + "]")
              .paramLabel("<value>")
              .type(String.class);
      if (setting == SettingsReader.Setting.DEBUG) {
        option.arity("0..1").fallbackValue("true");
      }
      serve.addOption(option.build());
    }
    return commandLine;
  }

  /** {@code serve} when no command is named, so that the bare jar runs the collector. */
  private static String[] withDefaultCommand(String[] args) {
    boolean named =
        args.length > 0
            && (List.of("serve", "validate", "types", "help").contains(args[0])
                || List.of("-h", "--help", "-V", "--version").contains(args[0]));
    if (named) {
      return args;
    }
    String[] withServe = new String[args.length + 1];
    withServe[0] = "serve";
    System.arraycopy(args, 0, withServe, 1, args.length);
    return withServe;
  }

  /** Runs the collector until it is stopped (SIGTERM or Ctrl-C). */
  @Command(
      name = "serve",
      mixinStandardHelpOptions = true,
      description = {
        "Runs the collector. Each option overrides its environment variable.",
        "With no database configured, starts an embedded PostgreSQL whose data lives in the data"
            + " directory."
      })
  static final class Serve implements Callable<Integer> {

    private static final Logger LOG = LoggerFactory.getLogger(Serve.class);

    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      Map<SettingsReader.Setting, String> options = new EnumMap<>(SettingsReader.Setting.class);
      for (SettingsReader.Setting setting : SettingsReader.Setting.values()) {
        String value = spec.findOption(setting.option).getValue();
        if (value != null) {
          options.put(setting, value);
        }
      }
      Settings settings;
      try {
        settings = SettingsReader.read(System.getenv(), options);
      } catch (IllegalArgumentException e) {
        spec.commandLine().getErr().println("Invalid configuration: " + e.getMessage());
        return 2;
      }
      Collector collector;
      try {
        collector = Collector.start(settings);
      } catch (TelemetryException | IllegalArgumentException e) {
        LOG.error("Cannot start the collector: {}", e.getMessage(), e);
        return 1;
      }
      CountDownLatch stopped = new CountDownLatch(1);
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () -> {
                    LOG.info("Stopping: finishing submissions and forwarding in flight");
                    collector.close();
                    LOG.info("Stopped");
                    stopped.countDown();
                    // A stop asked for is a clean exit, whatever the signal.
                    Runtime.getRuntime().halt(0);
                  },
                  "collector-shutdown"));
      try {
        stopped.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return 0;
    }
  }

  /** Validates telemetry files offline, as the collector would. */
  @Command(
      name = "validate",
      mixinStandardHelpOptions = true,
      description = {
        "Validates envelope files (or, with --legacy-trento-hosts, bare arrays of Trento hosts)"
            + " against the telemetry types, offline.",
        "Prints 'file: pointer: message' for every violation; exits 0 when all are valid, 1"
            + " when some are not."
      })
  static final class Validate implements Callable<Integer> {

    @Spec CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "FILE", description = "files to validate")
    List<Path> files;

    @Option(
        names = "--legacy-trento-hosts",
        description = "the files are bare arrays of hosts, as Trento posts to /api/collect/hosts")
    boolean legacyTrentoHosts;

    @Mixin SchemaDirectories schemas;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      TelemetryValidator validator = TelemetryValidator.create(schemas.registry(spec));
      boolean allValid = true;
      for (Path file : files) {
        byte[] json;
        try {
          json = Files.readAllBytes(file);
        } catch (IOException e) {
          throw new CommandLine.ParameterException(
              spec.commandLine(), file + ": cannot read: " + e);
        }
        ValidationResult result =
            legacyTrentoHosts
                ? validator.validatePayload(
                    new TelemetryTypeId("trento", "host_telemetry", 1), json)
                : validator.validate(json);
        if (result.isValid()) {
          out.println(file + ": valid, " + result.submission().records().size() + " record(s)");
        } else {
          allValid = false;
          for (Violation violation : result.violations()) {
            out.println(
                file
                    + ": "
                    + (violation.pointer().isEmpty() ? "/" : violation.pointer())
                    + ": "
                    + violation.message());
          }
        }
      }
      out.flush();
      return allValid ? 0 : 1;
    }
  }

  /** Lists the telemetry types the collector knows. */
  @Command(
      name = "types",
      mixinStandardHelpOptions = true,
      description = "Lists every telemetry type version the collector knows, and its schema file.")
  static final class Types implements Callable<Integer> {

    @Spec CommandSpec spec;

    @Mixin SchemaDirectories schemas;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      for (TelemetryType type : schemas.registry(spec).types()) {
        out.printf("%-40s %s%n  %s%n", type.id(), type.title(), type.source());
      }
      out.flush();
      return 0;
    }
  }

  /** The registry of the offline commands: the bundled types and any {@code --schemas-dir}. */
  static final class SchemaDirectories {

    @Option(
        names = "--schemas-dir",
        paramLabel = "DIR",
        description = "extra directory of telemetry types (repeatable)")
    List<Path> directories = new ArrayList<>();

    TelemetryTypeRegistry registry(CommandSpec spec) {
      try {
        TelemetryTypeRegistry.Builder builder = TelemetryTypeRegistry.builder();
        directories.forEach(builder::addDirectory);
        return builder.build();
      } catch (TelemetryException e) {
        throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
      }
    }
  }
}

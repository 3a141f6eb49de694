package com.suse.telemetry.app;

import com.suse.telemetry.core.TelemetryException;
import com.suse.telemetry.core.TelemetryType;
import com.suse.telemetry.core.TelemetryTypeId;
import com.suse.telemetry.core.TelemetryTypeRegistry;
import com.suse.telemetry.core.TelemetryValidator;
import com.suse.telemetry.core.ValidationResult;
import com.suse.telemetry.core.Violation;
import com.suse.telemetry.core.settings.InvalidSettingException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * The collector's command line: {@code serve} (the default), {@code validate}, {@code types},
 * {@code send}, {@code purge}, {@code keys}, {@code outbox}, {@code quarantine} and {@code
 * schemas}.
 */
@Command(
    name = "telemetry-collector",
    mixinStandardHelpOptions = true,
    versionProvider = BuildInfo.VersionProvider.class,
    description = "Collects, validates and stores anonymous telemetry published by SUSE products.",
    subcommands = {
      Main.Serve.class,
      Main.Validate.class,
      Main.Types.class,
      SendCommand.class,
      Purge.class,
      Keys.class,
      OutboxCommand.class,
      QuarantineCommand.class,
      SchemasCommand.class
    },
    footer =
        "%nWithout a command, runs 'serve'. Exit codes: 0 success, 1 failure or invalid"
            + " telemetry, 2 usage or configuration error.")
public final class Main {

  private Main() {}

  /** Runs the command line and exits with its code. */
  public static void main(String[] args) {
    System.exit(run(System.getenv(), args));
  }

  /**
   * Runs the command line with {@code environment} as the process's environment; returns the exit
   * code ({@code serve} returns only when the collector stops).
   */
  static int run(Map<String, String> environment, String... args) {
    String[] command = withDefaultCommand(args);
    ConfigFile file;
    try {
      file = ConfigFile.find(command, environment, Settings.ALL);
    } catch (IllegalArgumentException e) {
      System.err.println("Invalid configuration: " + e.getMessage());
      return 2;
    }
    return commandLine(environment, file).execute(command);
  }

  static CommandLine commandLine(Map<String, String> environment, ConfigFile file) {
    CommandLine commandLine = new CommandLine(new Main());
    SettingOptions.addTo(commandSpec(commandLine, "serve"), Settings.ALL);
    for (String validating : List.of("validate", "types", "send")) {
      SettingOptions.addTo(commandSpec(commandLine, validating), List.of(Settings.SCHEMAS_DIR));
    }
    SettingOptions.addTo(commandSpec(commandLine, "purge"), Purge.SETTINGS);
    for (CommandLine keyCommand :
        commandLine.getSubcommands().get("keys").getSubcommands().values()) {
      SettingOptions.addTo(keyCommand.getCommandSpec(), Keys.SETTINGS);
    }
    OutboxCommand.addSettings(commandLine.getSubcommands().get("outbox"));
    QuarantineCommand.addSettings(commandLine.getSubcommands().get("quarantine"));
    SchemasCommand.addSettings(commandLine.getSubcommands().get("schemas"));
    commandLine.setDefaultValueProvider(new SettingOptions(Settings.ALL, environment, file));
    commandLine.setParameterExceptionHandler(Main::refuse);
    // Logging is set up once the command line is parsed (it decides the level), before any
    // logger exists: slf4j-simple reads its configuration when the first one is made.
    commandLine.setExecutionStrategy(
        parsed -> {
          Logging.configure(Settings.DEBUG.option(), parsed);
          return new CommandLine.RunLast().execute(parsed);
        });
    return commandLine;
  }

  private static CommandSpec commandSpec(CommandLine commandLine, String name) {
    return commandLine.getSubcommands().get(name).getCommandSpec();
  }

  /** One line for a command line or setting that makes no sense, then where help is. */
  private static int refuse(CommandLine.ParameterException e, String[] args) {
    CommandLine command = e.getCommandLine();
    String message =
        e.getCause() instanceof CommandLine.TypeConversionException invalid
            ? "Invalid configuration: " + invalid.getMessage()
            : e.getMessage();
    command.getErr().println(message);
    command
        .getErr()
        .println("See '" + command.getCommandSpec().qualifiedName() + " --help' for usage.");
    return 2;
  }

  /** {@code serve} when no command is named, so that the bare jar runs the collector. */
  private static String[] withDefaultCommand(String[] args) {
    boolean named =
        args.length > 0
            && (List.of(
                        "serve",
                        "validate",
                        "types",
                        "send",
                        "purge",
                        "keys",
                        "outbox",
                        "quarantine",
                        "schemas",
                        "help")
                    .contains(args[0])
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

    @Spec CommandSpec spec;

    @Option(
        names = ConfigFile.OPTION,
        paramLabel = "FILE",
        description =
            "configuration file: one 'setting-name = value' per line, e.g. 'http-port = 8080';"
                + " the environment and options override it [env "
                + ConfigFile.VARIABLE
                + "]")
    Path config;

    @Override
    public Integer call() {
      Settings settings;
      try {
        settings = Settings.from(SettingOptions.valuesOf(spec, Settings.ALL));
      } catch (InvalidSettingException e) {
        spec.commandLine().getErr().println("Invalid configuration: " + e.getMessage());
        return 2;
      }
      // Not a static field: no logger may exist before logging is configured.
      Logger log = LoggerFactory.getLogger(Serve.class);
      log.debug("Settings: {}", settings);
      Collector collector = Collector.of(settings);
      AtomicBoolean stopping = new AtomicBoolean();
      AtomicBoolean failed = new AtomicBoolean();
      CountDownLatch stopped = new CountDownLatch(1);
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () -> {
                    if (failed.get()) {
                      return; // start-up failed: the exit code is the failure's
                    }
                    stopping.set(true);
                    log.info("Stopping: finishing submissions and forwarding in flight");
                    collector.close();
                    log.info("Stopped");
                    stopped.countDown();
                    // A stop asked for is a clean exit, whatever the signal.
                    Runtime.getRuntime().halt(0);
                  },
                  "collector-shutdown"));
      try {
        collector.start();
      } catch (RuntimeException e) {
        if (stopping.get()) {
          awaitQuietly(stopped); // stopped while starting: the shutdown hook ends the process
        }
        failed.set(true);
        return refuseToStart(e, log);
      }
      awaitQuietly(stopped);
      return 0;
    }

    /** One line for a failure to start, a stack trace only for a failure nobody expected. */
    private int refuseToStart(RuntimeException e, Logger log) {
      if (e instanceof InvalidSettingException invalid) {
        spec.commandLine().getErr().println("Invalid configuration: " + invalid.getMessage());
        return 2;
      }
      if (e instanceof TelemetryException) {
        log.error("Cannot start the collector: {}", e.getMessage());
      } else {
        log.error("Cannot start the collector", e);
      }
      return 1;
    }

    private static void awaitQuietly(CountDownLatch latch) {
      try {
        latch.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
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

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      TelemetryValidator validator = TelemetryValidator.create(registry(spec));
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

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      for (TelemetryType type : registry(spec).types()) {
        out.printf("%-40s %s%n  %s%n", type.id(), type.title(), type.source());
      }
      out.flush();
      return 0;
    }
  }

  /** The registry of the commands but serve: the bundled types and any {@code --schemas-dir}. */
  static TelemetryTypeRegistry registry(CommandSpec spec) {
    try {
      TelemetryTypeRegistry.Builder builder =
          SinkProviders.withSinkMetadata(TelemetryTypeRegistry.builder());
      SettingOptions.valuesOf(spec, List.of(Settings.SCHEMAS_DIR))
          .get(Settings.SCHEMAS_DIR)
          .forEach(builder::addDirectory);
      return builder.build();
    } catch (TelemetryException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
  }
}

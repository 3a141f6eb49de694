package com.suse.telemetry.app;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * The {@code --config} option of the operator's commands, as {@code serve} has it: {@link
 * ConfigFile} reads the file before the command line is parsed; declaring it here lets picocli
 * accept it and list it in the command's help.
 */
final class ConfigOption {
  @Option(
      names = ConfigFile.OPTION,
      paramLabel = "FILE",
      description =
          "configuration file, as for 'serve'; the environment and options override it [env "
              + ConfigFile.VARIABLE
              + "]")
  Path config;
}

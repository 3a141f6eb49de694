package com.suse.telemetry.app;

import com.suse.telemetry.core.settings.InvalidSettingException;
import com.suse.telemetry.core.settings.Setting;
import com.suse.telemetry.core.settings.SettingValues;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Settings as picocli options: each declared {@link Setting} becomes a typed option of a command;
 * its default comes, in this order, from its environment variable, then the configuration file (a
 * picocli default provider), and is otherwise left unset so that the setting's own default applies.
 * An option on the command line wins over all of them.
 */
final class SettingOptions implements IDefaultValueProvider {

  private final Map<String, Setting<?>> byOption = new LinkedHashMap<>();
  private final Map<String, String> environment;
  private final ConfigFile file;

  SettingOptions(
      Collection<Setting<?>> settings, Map<String, String> environment, ConfigFile file) {
    settings.forEach(setting -> byOption.put(setting.option(), setting));
    this.environment = Map.copyOf(environment);
    this.file = file;
  }

  /** Adds an option for each of {@code settings} to {@code command}. */
  static void addTo(CommandSpec command, List<Setting<?>> settings) {
    for (Setting<?> setting : settings) {
      OptionSpec.Builder option =
          OptionSpec.builder(setting.option())
              .paramLabel("<" + setting.type().getSimpleName().toLowerCase() + ">")
              .description(help(setting))
              .converters(text -> convert(setting, text));
      if (setting.separator().isPresent()) {
        option
            .type(List.class)
            .auxiliaryTypes(setting.type())
            .splitRegex(Pattern.quote(setting.separator().get()))
            .converters(text -> convertElement(setting, text));
      } else if (setting.type() == Boolean.class) {
        option.type(Boolean.class).arity("0..1").fallbackValue("true");
      } else {
        option.type(setting.type());
      }
      command.addOption(option.build());
    }
  }

  private static String help(Setting<?> setting) {
    String fallback =
        setting.isSecret()
            ? ""
            : setting
                .defaultText()
                .filter(text -> !text.isEmpty())
                .map(" (default %s)"::formatted)
                .orElse("");
    return setting.description() + fallback + " [env " + setting.variable() + "]";
  }

  private static Object convert(Setting<?> setting, String text) {
    try {
      return setting.parse(text);
    } catch (InvalidSettingException e) {
      throw new CommandLine.TypeConversionException(e.getMessage());
    }
  }

  private static Object convertElement(Setting<?> setting, String text) {
    try {
      return setting.parseElement(text);
    } catch (InvalidSettingException e) {
      throw new CommandLine.TypeConversionException(e.getMessage());
    }
  }

  /** The environment's value, else the file's; null leaves the setting at its own default. */
  @Override
  public String defaultValue(ArgSpec argument) {
    if (!(argument instanceof OptionSpec option)) {
      return null;
    }
    Setting<?> setting = byOption.get(option.longestName());
    if (setting == null) {
      return null;
    }
    String value = environment.get(setting.variable());
    return value == null || value.isBlank() ? file.value(setting) : value.trim();
  }

  /** The values {@code command}'s options hold after parsing, for every setting it has. */
  static SettingValues valuesOf(CommandSpec command, Collection<Setting<?>> settings) {
    SettingValues values = SettingValues.defaults();
    for (Setting<?> setting : settings) {
      OptionSpec option = command.findOption(setting.option());
      if (option != null && option.getValue() != null) {
        values = with(values, setting, option.getValue());
      }
    }
    return values;
  }

  @SuppressWarnings("unchecked")
  private static <T> SettingValues with(SettingValues values, Setting<T> setting, Object value) {
    return values.with(setting, (T) value);
  }
}

/**
 * Settings declared once by the module that owns them: name, type, default, validation and help.
 * The collector reads their values from command-line options, environment variables and a
 * configuration file; a module turns a {@link com.suse.telemetry.core.settings.SettingValues} into
 * its own typed configuration, and a plug-in (such as a secondary sink) declares its settings the
 * same way, without the collector knowing them in advance.
 */
package com.suse.telemetry.core.settings;

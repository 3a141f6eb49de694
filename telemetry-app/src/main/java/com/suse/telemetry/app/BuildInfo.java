package com.suse.telemetry.app;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import picocli.CommandLine;

/**
 * The version and commit this collector was built from, as the build recorded them in {@code
 * build.properties}; {@code unknown} where the build had no Git repository.
 *
 * @param version the project's version
 * @param commit the abbreviated commit id, with {@code -dirty} if the tree had changes
 * @param commitTime when that commit was made
 */
record BuildInfo(String version, String commit, String commitTime) {

  private static final String UNKNOWN = "unknown";

  /** This collector's. */
  static BuildInfo current() {
    Properties properties = new Properties();
    try (InputStream in = BuildInfo.class.getResourceAsStream("build.properties")) {
      if (in != null) {
        properties.load(in);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    String commit = properties.getProperty("git.commit.id.abbrev", UNKNOWN);
    boolean dirty = Boolean.parseBoolean(properties.getProperty("git.dirty", "false"));
    return new BuildInfo(
        properties.getProperty("git.build.version", UNKNOWN),
        commit.isBlank() ? UNKNOWN : commit + (dirty ? "-dirty" : ""),
        properties.getProperty("git.commit.time", UNKNOWN));
  }

  /** As {@code /info} shows it. */
  Map<String, String> asMap() {
    Map<String, String> info = new LinkedHashMap<>();
    info.put("version", version);
    info.put("commit", commit);
    info.put("commit_time", commitTime);
    return info;
  }

  /** What {@code --version} prints. */
  static final class VersionProvider implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      BuildInfo build = current();
      return new String[] {
        "Telemetry Collector " + build.version(),
        "commit " + build.commit() + " (" + build.commitTime() + ")"
      };
    }
  }
}

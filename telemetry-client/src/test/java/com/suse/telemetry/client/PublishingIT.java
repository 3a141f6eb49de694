package com.suse.telemetry.client;

import static org.assertj.core.api.Assertions.assertThat;

import com.suse.telemetry.client.ScriptedCollector.Reply;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Compiles and runs the README's publishing example against nothing but the packaged client jar and
 * its runtime dependencies, as a source would, publishing to a scripted collector that first asks
 * it to come back a second later.
 */
class PublishingIT {

  @TempDir Path classes;
  @TempDir Path spool;

  @Test
  void aSmallProgramOnTheClientJarPublishesAProfileAndRefusesAnInvalidOneLocally()
      throws Exception {
    String classpath =
        clientJar()
            + File.pathSeparator
            + Files.readString(Path.of("target", "runtime-classpath.txt")).trim();
    Path source = Path.of("src", "test", "resources", "publishing", "PublishProfiles.java");

    int compiled =
        ToolProvider.getSystemJavaCompiler()
            .run(
                null,
                null,
                null,
                "-classpath",
                classpath,
                "-d",
                classes.toString(),
                source.toString());
    assertThat(compiled).as("javac exit code").isZero();

    try (ScriptedCollector collector = ScriptedCollector.start()) {
      collector.script(envelope -> Reply.status(503).header("Retry-After", "1"));
      String output =
          run(
              classpath + File.pathSeparator + classes,
              collector.uri().toString(),
              spool.toString(),
              Payloads.SCHEMAS.resolve("sles/system_profile/examples/v1/valid/bare-metal.json"),
              Payloads.SCHEMAS.resolve(
                  "sles/system_profile/examples/v1/invalid/unknown-architecture.json"));

      assertThat(output)
          .contains("bare-metal.json: ACCEPTED, 1 accepted, 0 duplicates after 2 attempts")
          .contains("unknown-architecture.json: INVALID, 1 violation; nothing was sent")
          .contains(
              "  /payload/arch: does not have a value in the enumeration"
                  + " [\"x86_64\", \"aarch64\", \"ppc64le\", \"s390x\"]");
      assertThat(collector.arrivals()).hasSize(2);
      assertThat(collector.storedIds()).hasSize(1);
    }
  }

  @Test
  void theReadmeQuotesThisVeryProgram() throws IOException {
    String program =
        Files.readString(Path.of("src", "test", "resources", "publishing", "PublishProfiles.java"));

    assertThat(Files.readString(Path.of("..", "README.md")))
        .contains("```java\n" + program + "```");
  }

  private static Path clientJar() throws IOException {
    try (Stream<Path> files = Files.list(Path.of("target"))) {
      return files
          .filter(
              f -> f.getFileName().toString().matches("telemetry-client-[^-]+(-SNAPSHOT)?\\.jar"))
          .findFirst()
          .orElseThrow(() -> new AssertionError("package the client jar first"));
    }
  }

  private static String run(String classpath, String collector, String spool, Path... files)
      throws Exception {
    List<String> command =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                classpath,
                "PublishProfiles",
                collector,
                spool));
    for (Path file : files) {
      command.add(file.toString());
    }
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as(output).isZero();
    return output;
  }
}

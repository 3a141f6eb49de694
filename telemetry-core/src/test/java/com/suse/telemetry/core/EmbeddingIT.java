package com.suse.telemetry.core;

import static org.assertj.core.api.Assertions.assertThat;

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
 * Compiles and runs the README's embedding example against nothing but the packaged core jar and
 * its runtime dependencies, as another team would.
 */
class EmbeddingIT {

  @TempDir Path classes;

  @Test
  void aSmallProgramOnTheCoreJarValidatesTheDesignExampleAndPointsAtViolations() throws Exception {
    String classpath =
        coreJar()
            + File.pathSeparator
            + Files.readString(Path.of("target", "runtime-classpath.txt")).trim();
    Path source = Path.of("src", "test", "resources", "embedding", "ValidateEnvelope.java");

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

    String output =
        run(
            classpath + File.pathSeparator + classes,
            SchemaFiles.ROOT.resolve("examples/envelope/valid/design-document-example.json"),
            SchemaFiles.ROOT.resolve("examples/envelope/invalid/payload-violation.json"));
    assertThat(output)
        .contains("design-document-example.json: valid, 2 records")
        .contains("payload-violation.json: invalid")
        .contains("  /payload/1/cpu_count: string found, integer expected");
  }

  private static Path coreJar() throws IOException {
    try (Stream<Path> files = Files.list(Path.of("target"))) {
      return files
          .filter(f -> f.getFileName().toString().matches("telemetry-core-[^-]+(-SNAPSHOT)?\\.jar"))
          .findFirst()
          .orElseThrow(() -> new AssertionError("package the core jar first"));
    }
  }

  private static String run(String classpath, Path... files) throws Exception {
    List<String> command =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                classpath,
                "ValidateEnvelope"));
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

package com.suse.telemetry.core.internal;

import com.suse.telemetry.core.TelemetryException;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.FileSystemAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.util.Map;

/**
 * Finds the schemas directory shipped inside the core jar (or in {@code target/classes} while
 * developing), so that it can be walked like any other directory.
 */
public final class BundledSchemas {

  private static final String ROOT = "com/suse/telemetry/schemas/";

  private BundledSchemas() {}

  /** The root of the bundled schemas directory. */
  public static Path root() {
    URL envelope =
        BundledSchemas.class
            .getClassLoader()
            .getResource(ROOT + TypeDefinitionReader.ENVELOPE_FILE);
    if (envelope == null) {
      throw new TelemetryException(
          "the bundled schemas are missing from the class path ("
              + ROOT
              + TypeDefinitionReader.ENVELOPE_FILE
              + ")");
    }
    try {
      URI uri = envelope.toURI();
      return pathOf(uri).getParent();
    } catch (URISyntaxException | IOException e) {
      throw new TelemetryException("cannot open the bundled schemas at " + envelope, e);
    }
  }

  private static Path pathOf(URI uri) throws IOException {
    if (!"jar".equals(uri.getScheme())) {
      return Path.of(uri);
    }
    // The jar's file system stays open for the life of the process: registries may be built
    // again at any time, and it is read-only.
    try {
      FileSystems.newFileSystem(uri, Map.of());
    } catch (FileSystemAlreadyExistsException alreadyOpen) {
      // Opened by an earlier call; Path.of finds it.
    }
    return Path.of(uri);
  }
}

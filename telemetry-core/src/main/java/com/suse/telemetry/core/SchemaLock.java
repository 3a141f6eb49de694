package com.suse.telemetry.core;

import static java.util.Objects.requireNonNull;

import com.suse.telemetry.core.internal.JsonDocuments;
import com.suse.telemetry.core.internal.TypeDefinitionReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.core.JacksonException;

/**
 * The lock of published telemetry type versions: {@value #FILE_NAME} at the root of a schemas
 * directory, one line {@code application/type/vN <sha256>} per published version, the hash taken
 * over the schema's JSON content (its canonical form: key order and whitespace do not count). A
 * published version never changes, since sources and stored data depend on it; {@link #problems}
 * tells an edited, unlocked or removed version. Immutable.
 */
public final class SchemaLock {

  /** The lock file's name, at the root of a schemas directory. */
  public static final String FILE_NAME = "published.lock";

  private static final Pattern LINE =
      Pattern.compile("([a-z][a-z0-9_]*/[a-z][a-z0-9_]*/v[1-9][0-9]*)\\s+([0-9a-f]{64})");

  private final boolean exists;
  private final Map<String, String> hashes;
  private final List<String> malformed;

  private SchemaLock(boolean exists, Map<String, String> hashes, List<String> malformed) {
    this.exists = exists;
    this.hashes = hashes;
    this.malformed = malformed;
  }

  /**
   * The lock of the schemas directory {@code root}; empty when it has none.
   *
   * @throws UncheckedIOException if the lock file exists but cannot be read
   */
  public static SchemaLock read(Path root) {
    Path file = requireNonNull(root, "root").resolve(FILE_NAME);
    if (!Files.isRegularFile(file)) {
      return new SchemaLock(false, Map.of(), List.of());
    }
    Map<String, String> hashes = new LinkedHashMap<>();
    List<String> malformed = new ArrayList<>();
    try {
      List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
      for (int i = 0; i < lines.size(); i++) {
        String line = lines.get(i).strip();
        if (line.isEmpty() || line.startsWith("#")) {
          continue;
        }
        Matcher entry = LINE.matcher(line);
        if (!entry.matches() || hashes.putIfAbsent(entry.group(1), entry.group(2)) != null) {
          malformed.add(
              FILE_NAME
                  + " line "
                  + (i + 1)
                  + ": expected 'application/type/vN <sha256>', once per version, was '"
                  + PrintableText.of(line)
                  + "'");
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
    return new SchemaLock(true, Map.copyOf(hashes), List.copyOf(malformed));
  }

  /** Whether the directory has a lock file at all. */
  public boolean exists() {
    return exists;
  }

  /** The key of {@code id} in the lock: {@code application/type/vN}. */
  public static String key(TelemetryTypeId id) {
    return id.application() + "/" + id.telemetryType() + "/v" + id.schemaVersion();
  }

  /** The hash locked for {@code id}, if it is published. */
  public Optional<String> hashOf(TelemetryTypeId id) {
    return Optional.ofNullable(hashes.get(key(id)));
  }

  /** The lock's line for {@code id} with {@code hash}. */
  public static String line(TelemetryTypeId id, String hash) {
    return key(id) + " " + hash;
  }

  /**
   * The SHA-256 of the JSON content of {@code schemaFile}, as 64 hex digits: over its canonical
   * form, so that key order, whitespace and line endings do not count.
   *
   * @throws IllegalArgumentException if the file is not JSON
   * @throws UncheckedIOException if it cannot be read
   */
  public static String hash(Path schemaFile) {
    byte[] canonical;
    try {
      canonical =
          JsonDocuments.writeCanonical(JsonDocuments.readTrusted(Files.readString(schemaFile)));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + schemaFile, e);
    } catch (JacksonException e) {
      throw new IllegalArgumentException(
          schemaFile + ": not valid JSON: " + e.getOriginalMessage());
    }
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(canonical));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }

  /**
   * What is wrong between this lock and the schemas under {@code root}: a published version whose
   * content changed, a version missing from the lock, a locked version whose file is gone, a line
   * that is no entry. Empty when they agree.
   */
  public List<String> problems(Path root) {
    List<String> problems = new ArrayList<>(malformed);
    Map<String, String> unseen = new LinkedHashMap<>(hashes);
    for (Path file : TypeDefinitionReader.typeFiles(root)) {
      String name = root.relativize(file).toString();
      TelemetryTypeId id;
      String hash;
      try {
        id = TypeDefinitionReader.idFromPath(root, file);
        hash = hash(file);
      } catch (RuntimeException e) {
        problems.add(name + ": " + e.getMessage());
        continue;
      }
      String locked = unseen.remove(key(id));
      if (locked == null) {
        problems.add(
            name
                + " is not in "
                + FILE_NAME
                + ": once it is published (merged), add the line '"
                + line(id, hash)
                + "'");
      } else if (!locked.equals(hash)) {
        problems.add(
            name
                + " is published and must not change (its content hash is now "
                + hash
                + ", "
                + FILE_NAME
                + " has "
                + locked
                + "): sources and stored data depend on it. Undo the edit and add v"
                + (id.schemaVersion() + 1)
                + ".schema.json beside it instead");
      }
    }
    unseen
        .keySet()
        .forEach(
            key ->
                problems.add(
                    FILE_NAME
                        + " names "
                        + key
                        + ", whose schema is gone: a published version is never removed"));
    return problems;
  }
}

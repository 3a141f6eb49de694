package com.suse.telemetry.storage.postgres;

import com.suse.telemetry.core.PropertyType;
import com.suse.telemetry.core.TelemetryType;
import com.suse.telemetry.core.TelemetryTypeId;
import com.suse.telemetry.core.TelemetryTypeRegistry;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import javax.sql.DataSource;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A typed SQL view per telemetry type version, for BI tools: {@code trento_host_telemetry_v1} has
 * the columns {@code id}, {@code time} and {@code received_at}, then one column per top-level
 * property of a record, typed from its schema (string as text, integer as bigint, number as double
 * precision, boolean as boolean, anything else as jsonb). A value the column type cannot hold reads
 * as NULL.
 *
 * <p>Names come from schema files, so they are sanitised: view and column names are reduced to
 * lower-case letters, digits and underscores (a property whose name clashes with a fixed column
 * gets a {@code payload_} prefix), and every name appears quoted and escaped in the SQL.
 */
public final class TypedViews {

  private static final Logger LOG = LoggerFactory.getLogger(TypedViews.class);
  private static final int MAX_IDENTIFIER_BYTES = 63;
  private static final List<String> FIXED_COLUMNS = List.of("id", "time", "received_at");
  // Any constant works: it only keeps replicas starting together from racing on the views.
  private static final long LOCK_KEY = 0x7e1e_7e7e_0001L;

  private TypedViews() {}

  /**
   * Creates or replaces the view of every type version in {@code registry}. A view that cannot be
   * replaced in place (its columns changed) is dropped and created again; one that cannot be
   * created at all (e.g. a BI view depends on it) is logged and left as it is.
   *
   * @return the names of the views now current
   */
  public static List<String> createOrReplace(
      DataSource dataSource, TelemetryTypeRegistry registry) {
    List<String> created = new ArrayList<>();
    Jdbi.create(dataSource)
        .useTransaction(
            handle -> {
              handle.execute("SELECT pg_advisory_xact_lock(?)", LOCK_KEY);
              for (TelemetryType type : registry.types()) {
                String name = viewName(type.id());
                if (createOrReplace(
                    handle, name, viewSql(type, name, false), viewSql(type, name, true))) {
                  created.add(name);
                }
              }
            });
    LOG.info("Typed views current: {}", created);
    return created;
  }

  private static boolean createOrReplace(
      Handle handle, String name, String replace, String recreate) {
    handle.execute("SAVEPOINT view");
    try {
      handle.execute(replace);
      return true;
    } catch (JdbiException columnsChanged) {
      handle.execute("ROLLBACK TO SAVEPOINT view");
    }
    try {
      handle.execute(recreate);
      return true;
    } catch (JdbiException e) {
      handle.execute("ROLLBACK TO SAVEPOINT view");
      LOG.warn("View {} left as it is: {}", name, e.getMessage());
      return false;
    }
  }

  /** The view's name: {@code <application>_<telemetry_type>_v<N>}, shortened if too long. */
  static String viewName(TelemetryTypeId id) {
    return fit(sanitize(id.application() + "_" + id.telemetryType() + "_v" + id.schemaVersion()));
  }

  /** The view's column names and the SQL expression of each, in order. */
  static Map<String, String> columns(TelemetryType type) {
    Map<String, String> columns = new LinkedHashMap<>();
    FIXED_COLUMNS.forEach(column -> columns.put(column, column));
    Set<String> taken = new HashSet<>(FIXED_COLUMNS);
    type.properties()
        .forEach(
            (property, propertyType) -> {
              String column = sanitize(property);
              if (FIXED_COLUMNS.contains(column)) {
                column = "payload_" + column;
              }
              column = fit(column);
              String unique = column;
              for (int n = 2; !taken.add(unique); n++) {
                unique = fit(column + "_" + n);
              }
              columns.put(unique, expression(property, propertyType));
            });
    return columns;
  }

  private static String viewSql(TelemetryType type, String name, boolean dropFirst) {
    StringBuilder sql = new StringBuilder();
    if (dropFirst) {
      sql.append("DROP VIEW IF EXISTS ").append(quoteIdentifier(name)).append(";\n");
      sql.append("CREATE VIEW ");
    } else {
      sql.append("CREATE OR REPLACE VIEW ");
    }
    sql.append(quoteIdentifier(name)).append(" AS\nSELECT ");
    List<String> select = new ArrayList<>();
    columns(type)
        .forEach((column, expression) -> select.add(expression + " AS " + quoteIdentifier(column)));
    sql.append(String.join(",\n       ", select));
    TelemetryTypeId id = type.id();
    sql.append("\nFROM telemetry\nWHERE application = ")
        .append(quoteLiteral(id.application()))
        .append(" AND telemetry_type = ")
        .append(quoteLiteral(id.telemetryType()))
        .append(" AND schema_version = ")
        .append(id.schemaVersion());
    return sql.toString();
  }

  private static String expression(String property, PropertyType type) {
    String value = "payload -> " + quoteLiteral(property);
    return switch (type) {
      case STRING -> "telemetry_text(" + value + ")";
      case INTEGER -> "telemetry_bigint(" + value + ")";
      case NUMBER -> "telemetry_double(" + value + ")";
      case BOOLEAN -> "telemetry_boolean(" + value + ")";
      case JSON -> "(" + value + ")";
    };
  }

  /** Lower-case letters, digits and underscores, starting with a letter or underscore. */
  static String sanitize(String name) {
    StringBuilder sanitized = new StringBuilder(name.length());
    for (char ch : name.toLowerCase(Locale.ROOT).toCharArray()) {
      sanitized.append((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') ? ch : '_');
    }
    if (sanitized.length() == 0 || Character.isDigit(sanitized.charAt(0))) {
      sanitized.insert(0, '_');
    }
    return sanitized.toString();
  }

  /** Shortens a sanitised name to PostgreSQL's limit, keeping it unique with a hash suffix. */
  private static String fit(String name) {
    if (name.length() <= MAX_IDENTIFIER_BYTES) {
      return name;
    }
    try {
      byte[] hash =
          MessageDigest.getInstance("SHA-256").digest(name.getBytes(StandardCharsets.UTF_8));
      return name.substring(0, MAX_IDENTIFIER_BYTES - 9)
          + "_"
          + HexFormat.of().formatHex(hash, 0, 4);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }

  static String quoteIdentifier(String sanitized) {
    return "\"" + sanitized.replace("\"", "\"\"") + "\"";
  }

  /** An escape-string literal: reads the same whatever {@code standard_conforming_strings} says. */
  static String quoteLiteral(String text) {
    if (text.indexOf('\0') >= 0) {
      throw new IllegalArgumentException("a name must not contain the NUL character");
    }
    return "E'" + text.replace("\\", "\\\\").replace("'", "''") + "'";
  }
}

package com.suse.telemetry.storage.influx;

/**
 * Writes the parts of an InfluxDB line protocol point. Line protocol cannot carry a newline in any
 * name or value, so newlines and carriage returns are written as the two characters {@code \n} and
 * {@code \r}; the record's exact content stays in PostgreSQL. A backslash is always doubled, which
 * InfluxDB and VictoriaMetrics read back as one, so a value ending in a backslash cannot escape the
 * separator after it.
 */
final class LineProtocol {

  private LineProtocol() {}

  /** A measurement name: commas and spaces escaped. */
  static void measurement(StringBuilder line, String name) {
    escape(line, name, false);
  }

  /** A tag key, tag value or field key: commas, equals signs and spaces escaped. */
  static void key(StringBuilder line, String key) {
    escape(line, key, true);
  }

  /** A string field value: quoted, with quotes and backslashes escaped. */
  static void stringValue(StringBuilder line, String value) {
    line.append('"');
    for (int i = 0; i < value.length(); i++) {
      char ch = value.charAt(i);
      switch (ch) {
        case '"' -> line.append("\\\"");
        case '\\' -> line.append("\\\\");
        case '\n' -> line.append("\\n");
        case '\r' -> line.append("\\r");
        default -> line.append(ch);
      }
    }
    line.append('"');
  }

  private static void escape(StringBuilder line, String text, boolean equalsSign) {
    for (int i = 0; i < text.length(); i++) {
      char ch = text.charAt(i);
      switch (ch) {
        case ',', ' ' -> line.append('\\').append(ch);
        case '=' -> line.append(equalsSign ? "\\=" : "=");
        case '\\' -> line.append("\\\\");
        case '\n' -> line.append("\\n");
        case '\r' -> line.append("\\r");
        default -> line.append(ch);
      }
    }
  }
}

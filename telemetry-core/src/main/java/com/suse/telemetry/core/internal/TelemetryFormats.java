package com.suse.telemetry.core.internal;

import com.networknt.schema.ExecutionContext;
import com.networknt.schema.format.Format;
import java.time.DateTimeException;
import java.util.List;

/**
 * The {@code date-time} and {@code uuid} formats as the collector means them, checked by hand
 * rather than by regular expression: they are checked on every record, and a date-time must be
 * exactly what {@link Rfc3339} accepts, no more and no less.
 */
final class TelemetryFormats {

  private TelemetryFormats() {}

  static List<Format> all() {
    return List.of(new DateTime(), new Uuid());
  }

  /** RFC 3339 with 0 to 9 fraction digits, naming a real instant. */
  private static final class DateTime implements Format {
    @Override
    public String getName() {
      return "date-time";
    }

    @Override
    public boolean matches(ExecutionContext context, String value) {
      try {
        Rfc3339.parse(value);
        return true;
      } catch (DateTimeException e) {
        return false;
      }
    }
  }

  /** 8-4-4-4-12 hexadecimal digits, either case. */
  private static final class Uuid implements Format {
    @Override
    public String getName() {
      return "uuid";
    }

    @Override
    public boolean matches(ExecutionContext context, String value) {
      if (value.length() != 36) {
        return false;
      }
      for (int i = 0; i < 36; i++) {
        char ch = value.charAt(i);
        boolean ok =
            i == 8 || i == 13 || i == 18 || i == 23
                ? ch == '-'
                : (ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f') || (ch >= 'A' && ch <= 'F');
        if (!ok) {
          return false;
        }
      }
      return true;
    }
  }
}

package com.suse.telemetry.bench;

import com.suse.telemetry.testkit.TestTelemetry;
import java.nio.charset.StandardCharsets;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Realistic, reproducible {@code trento/host_telemetry} envelopes, every one with new records: a
 * template generated from a seed, whose agent ids get a fresh serial number each time, so that no
 * request is a mere duplicate. Cheap enough to make on the load generator's hot path.
 *
 * <p>The store partitions records by month of their time: envelopes can be dated in a chosen month,
 * as a fleet's records are dated in the current one, so that they land in that month's partition.
 */
final class Envelopes {

  private static final byte[] AGENT_ID = "\"agent_id\":\"".getBytes(StandardCharsets.US_ASCII);
  private static final int SERIAL_DIGITS = 12;
  private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] TIME = "\"time\":\"".getBytes(StandardCharsets.US_ASCII);
  // Days 2 to 28: a time with an offset such as +01:00 is still within the month in UTC.
  private static final int FIRST_DAY = 2;
  private static final int LAST_DAY = 28;

  private final int records;
  private final byte[] template;
  private final int[] serialOffsets;
  private final AtomicLong serials;

  /** Envelopes of {@code records} hosts, from {@code seed}, serial numbers from {@code first}. */
  Envelopes(int records, long seed, long first) {
    this(records, seed, first, null);
  }

  /**
   * As {@link #Envelopes(int, long, long)}, every time (the envelope's and each record's) dated in
   * {@code month}, UTC: the template's day of the month kept between the 2nd and the 28th, its time
   * of day kept.
   */
  Envelopes(int records, long seed, long first, YearMonth month) {
    this.records = records;
    this.template = TestTelemetry.hostsEnvelopeJson(records, seed).getBytes(StandardCharsets.UTF_8);
    if (month != null) {
      dateIn(template, month);
    }
    List<Integer> offsets = new ArrayList<>();
    for (int i = indexOf(template, AGENT_ID, 0);
        i >= 0;
        i = indexOf(template, AGENT_ID, i + AGENT_ID.length)) {
      // The last group of the UUID: 36 characters, the last 12 of which are the serial.
      offsets.add(i + AGENT_ID.length + 36 - SERIAL_DIGITS);
    }
    this.serialOffsets = offsets.stream().mapToInt(Integer::intValue).toArray();
    this.serials = new AtomicLong(first);
  }

  int records() {
    return records;
  }

  /** The next envelope: the template with new agent ids. */
  byte[] next() {
    byte[] envelope = template.clone();
    long serial = serials.getAndAdd(records);
    for (int i = 0; i < serialOffsets.length; i++) {
      writeHex(envelope, serialOffsets[i], serial + i);
    }
    return envelope;
  }

  /**
   * Rewrites the date of every {@code "time":"yyyy-MM-dd...} of {@code json} into {@code month}.
   */
  private static void dateIn(byte[] json, YearMonth month) {
    for (int i = indexOf(json, TIME, 0); i >= 0; i = indexOf(json, TIME, i + TIME.length)) {
      int date = i + TIME.length;
      int day = (json[date + 8] - '0') * 10 + (json[date + 9] - '0');
      byte[] dated =
          month
              .atDay(Math.max(FIRST_DAY, Math.min(LAST_DAY, day)))
              .toString()
              .getBytes(StandardCharsets.US_ASCII);
      if (dated.length != 10 || json[date + 4] != '-' || json[date + 7] != '-') {
        throw new IllegalArgumentException("cannot date a time in " + month);
      }
      System.arraycopy(dated, 0, json, date, dated.length);
    }
  }

  private static void writeHex(byte[] target, int offset, long value) {
    for (int digit = SERIAL_DIGITS - 1; digit >= 0; digit--) {
      target[offset + digit] = HEX[(int) (value & 0xF)];
      value >>>= 4;
    }
  }

  private static int indexOf(byte[] haystack, byte[] needle, int from) {
    outer:
    for (int i = from; i <= haystack.length - needle.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}

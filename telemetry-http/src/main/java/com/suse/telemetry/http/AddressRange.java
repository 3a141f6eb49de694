package com.suse.telemetry.http;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An IP address or a CIDR block, such as {@code 10.0.0.0/8} or {@code fd00::/8}: which connecting
 * addresses are trusted proxies. Immutable.
 */
final class AddressRange {

  private static final Pattern IPV4 =
      Pattern.compile("([0-9]{1,3})\\.([0-9]{1,3})\\.([0-9]{1,3})\\.([0-9]{1,3})");
  private static final Pattern IPV6 = Pattern.compile("[0-9a-fA-F:.]*:[0-9a-fA-F:.]*");
  private static final String EXPECTED = "must be IP addresses or CIDR blocks such as 10.0.0.0/8";

  private final byte[] network;
  private final int prefixLength;
  private final String text;

  private AddressRange(byte[] network, int prefixLength, String text) {
    this.network = network;
    this.prefixLength = prefixLength;
    this.text = text;
  }

  /**
   * The range {@code text} names.
   *
   * @throws IllegalArgumentException if it is no IP address or CIDR block
   */
  static AddressRange parse(String text) {
    String[] parts = text.trim().split("/", -1);
    if (parts.length > 2) {
      throw new IllegalArgumentException(EXPECTED);
    }
    byte[] address = literal(parts[0]);
    int bits = address.length * 8;
    int prefix = bits;
    if (parts.length == 2) {
      try {
        prefix = Integer.parseInt(parts[1]);
      } catch (NumberFormatException e) {
        prefix = -1;
      }
      if (prefix < 0 || prefix > bits) {
        throw new IllegalArgumentException(
            "must be IP addresses or CIDR blocks with a prefix of 0 to " + bits + " bits");
      }
    }
    return new AddressRange(mask(address, prefix), prefix, text.trim());
  }

  /** Whether {@code address} (4 or 16 bytes) lies in this range. */
  boolean contains(byte[] address) {
    return address.length == network.length && Arrays.equals(mask(address, prefixLength), network);
  }

  /** {@code address} with all but its first {@code prefixLength} bits cleared. */
  static byte[] mask(byte[] address, int prefixLength) {
    byte[] masked = address.clone();
    for (int i = 0; i < masked.length; i++) {
      int keep = Math.max(0, Math.min(8, prefixLength - 8 * i));
      masked[i] &= (byte) (0xff << (8 - keep));
    }
    return masked;
  }

  /**
   * The address a literal stands for, never looked up by name (a name here would make requests wait
   * on DNS).
   *
   * @throws IllegalArgumentException if {@code text} is no IPv4 or IPv6 literal
   */
  static byte[] literal(String text) {
    Matcher ipv4 = IPV4.matcher(text);
    if (ipv4.matches()) {
      byte[] address = new byte[4];
      for (int i = 0; i < 4; i++) {
        int octet = Integer.parseInt(ipv4.group(i + 1));
        if (octet > 255) {
          throw new IllegalArgumentException(EXPECTED);
        }
        address[i] = (byte) octet;
      }
      return address;
    }
    if (!IPV6.matcher(text).matches()) {
      throw new IllegalArgumentException(EXPECTED);
    }
    try {
      // With a colon, the JDK parses an IPv6 literal and never asks DNS.
      return InetAddress.getByName(text).getAddress();
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(EXPECTED);
    }
  }

  @Override
  public String toString() {
    return text;
  }
}

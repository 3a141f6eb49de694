package com.suse.telemetry.http;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * Each client's fair share of submissions: a token bucket per client ({@code rate} per second on
 * average, {@code burst} at once), so that a client that sends more than its share is told to wait
 * (429) and never takes what other clients are due. A client is its address, or the address a
 * trusted proxy names in {@code X-Forwarded-For}; an IPv6 client is its /64, which one host or
 * household usually holds whole. Addresses are kept in memory only, for as long as their bucket
 * matters, and never stored or logged. Thread-safe.
 */
final class ClientShares {

  /** Most clients remembered at once; the least recently seen are forgotten first. */
  private static final int MOST_CLIENTS = 200_000;

  private final int rate;
  private final int burst;
  private final List<AddressRange> trustedProxies;
  private final Cache<String, Bucket> buckets;

  ClientShares(HttpSettings.AdmissionLimits limits) {
    this.rate = limits.clientRate();
    this.burst = limits.clientBurst();
    this.trustedProxies = limits.trustedProxies().stream().map(AddressRange::parse).toList();
    // A bucket left alone this long is full again: forgetting it changes nothing.
    Duration refilled =
        Duration.ofSeconds(rate == 0 ? 1 : Math.max(60, (long) Math.ceil((double) burst / rate)));
    this.buckets =
        Caffeine.newBuilder().maximumSize(MOST_CLIENTS).expireAfterAccess(refilled).build();
  }

  /**
   * Takes one submission from the share of the client at {@code remoteAddress} (the connecting
   * address, a literal) that sent {@code forwardedFor} (the {@code X-Forwarded-For} header, or
   * null).
   *
   * @return 0 when the client is within its share, else the seconds until it is
   */
  long take(String remoteAddress, String forwardedFor) {
    if (rate == 0) {
      return 0;
    }
    Bucket bucket = buckets.get(client(remoteAddress, forwardedFor), client -> newBucket());
    ConsumptionProbe probe = bucket.tryConsumeAndReturnRemaining(1);
    if (probe.isConsumed()) {
      return 0;
    }
    return Math.max(1, (long) Math.ceil(probe.getNanosToWaitForRefill() / 1e9));
  }

  private Bucket newBucket() {
    return Bucket.builder()
        .addLimit(limit -> limit.capacity(burst).refillGreedy(rate, Duration.ofSeconds(1)))
        .build();
  }

  /**
   * The client a request comes from: the connecting address, unless that is a trusted proxy; then
   * the nearest address in {@code X-Forwarded-For} that is not one (proxies append, so what lies
   * left of the first untrusted entry may be forged by the client).
   */
  String client(String remoteAddress, String forwardedFor) {
    byte[] address = parse(remoteAddress);
    if (address == null) {
      return remoteAddress;
    }
    if (forwardedFor != null && isTrusted(address)) {
      String[] hops = forwardedFor.split(",");
      for (int i = hops.length - 1; i >= 0; i--) {
        byte[] hop = parse(hops[i].trim());
        if (hop == null) {
          break;
        }
        address = hop;
        if (!isTrusted(hop)) {
          break;
        }
      }
    }
    return key(address);
  }

  private boolean isTrusted(byte[] address) {
    return trustedProxies.stream().anyMatch(range -> range.contains(address));
  }

  private static byte[] parse(String literal) {
    try {
      String bare =
          literal.startsWith("[") && literal.endsWith("]")
              ? literal.substring(1, literal.length() - 1)
              : literal;
      return AddressRange.literal(bare);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private static String key(byte[] address) {
    return address.length == 16
        ? HexFormat.of().formatHex(Arrays.copyOf(AddressRange.mask(address, 64), 8)) + "::/64"
        : HexFormat.of().formatHex(address);
  }
}

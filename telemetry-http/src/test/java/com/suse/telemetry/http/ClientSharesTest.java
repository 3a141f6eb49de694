package com.suse.telemetry.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.suse.telemetry.testkit.TestTelemetry;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Each client gets its fair share; one that sends more is told to wait, nobody else is. */
class ClientSharesTest {

  private static HttpSettings.AdmissionLimits limits(int rate, int burst, String... proxies) {
    return new HttpSettings.AdmissionLimits(64, true, rate, burst, List.of(proxies));
  }

  @Test
  @Timeout(120)
  void aGreedyClientGets429WhileAPoliteOneIsNeverRefused() throws Exception {
    // Both clients come through a trusted load balancer (this machine), which names them.
    try (TestServer server =
        new TestServer(
            values ->
                values
                    .with(HttpSettings.CLIENT_RATE, 5)
                    .with(HttpSettings.CLIENT_BURST, 5)
                    .with(HttpSettings.TRUSTED_PROXIES, List.of("127.0.0.1", "::1")))) {
      ExecutorService threads = Executors.newFixedThreadPool(5);
      AtomicInteger greedySent = new AtomicInteger();
      AtomicInteger greedyRefused = new AtomicInteger();
      AtomicInteger politeSent = new AtomicInteger();
      AtomicInteger politeRefused = new AtomicInteger();
      try {
        long end = System.nanoTime() + 6_000_000_000L;
        // The greedy client sends about ten times its share, from four connections.
        List<Future<?>> greedy =
            List.of(0, 1, 2, 3).stream()
                .<Future<?>>map(
                    thread ->
                        threads.submit(
                            () -> {
                              while (System.nanoTime() < end) {
                                HttpResponse<String> answer =
                                    server.post(
                                        "/api/v1/telemetry",
                                        envelope(thread * 1_000_000 + greedySent.get()),
                                        "X-Forwarded-For",
                                        "198.51.100.7");
                                greedySent.incrementAndGet();
                                if (answer.statusCode() == 429) {
                                  greedyRefused.incrementAndGet();
                                  assertThat(answer.headers().firstValue("Retry-After"))
                                      .hasValueSatisfying(
                                          seconds ->
                                              assertThat(Long.parseLong(seconds)).isPositive());
                                  assertThat(answer.headers().firstValue("Content-Type"))
                                      .contains("application/problem+json");
                                  assertThat(answer.body()).contains("too-many-requests");
                                }
                                pause(25);
                              }
                            }))
                .toList();
        // The polite one keeps within its share: one at a time, four a second at most.
        Future<?> polite =
            threads.submit(
                () -> {
                  while (System.nanoTime() < end) {
                    HttpResponse<String> answer =
                        server.post(
                            "/api/v1/telemetry",
                            envelope(50_000_000 + politeSent.get()),
                            "X-Forwarded-For",
                            "203.0.113.20, 10.0.0.1");
                    politeSent.incrementAndGet();
                    if (answer.statusCode() != 202) {
                      politeRefused.incrementAndGet();
                    }
                    pause(250);
                  }
                });
        for (Future<?> client : greedy) {
          client.get();
        }
        polite.get();
      } finally {
        threads.shutdownNow();
      }

      assertThat(politeSent.get()).isGreaterThan(10);
      assertThat(politeRefused.get()).as("polite refusals").isZero();
      assertThat(greedySent.get()).isGreaterThan(100);
      assertThat(greedyRefused.get())
          .as("greedy refusals of %d", greedySent.get())
          .isGreaterThan(greedySent.get() / 2);
    }
  }

  @Test
  void aClientIsItsAddressUnlessATrustedProxyNamesIt() {
    ClientShares shares = new ClientShares(limits(1, 1, "10.0.0.0/8", "fd00::/8"));

    assertThat(shares.client("192.0.2.1", null)).isEqualTo(shares.client("192.0.2.1", "x"));
    assertThat(shares.client("192.0.2.1", "203.0.113.9"))
        .as("an untrusted peer cannot choose who it is")
        .isEqualTo(shares.client("192.0.2.1", null));
    assertThat(shares.client("10.1.2.3", "203.0.113.9"))
        .isEqualTo(shares.client("203.0.113.9", null));
    assertThat(shares.client("10.1.2.3", "198.51.100.1, 203.0.113.9, 10.9.9.9"))
        .as("the nearest untrusted hop; what lies left of it may be forged")
        .isEqualTo(shares.client("203.0.113.9", null));
    assertThat(shares.client("fd00::1", "2001:db8:1:2::5"))
        .isEqualTo(shares.client("2001:db8:1:2:ffff::9", null))
        .as("an IPv6 client is its /64")
        .isNotEqualTo(shares.client("2001:db8:1:3::5", null));
    assertThat(shares.client("10.1.2.3", "garbage")).isEqualTo(shares.client("10.1.2.3", null));
  }

  @Test
  void aClientWithinItsShareIsNeverToldToWait() {
    ClientShares shares = new ClientShares(limits(1, 5));

    for (int i = 0; i < 5; i++) {
      assertThat(shares.take("192.0.2.1", null)).isZero();
    }
    assertThat(shares.take("192.0.2.1", null)).isPositive();
    assertThat(shares.take("192.0.2.2", null)).as("another client").isZero();
    assertThat(new ClientShares(limits(0, 1)).take("192.0.2.1", null)).as("no limit").isZero();
  }

  @Test
  void trustedProxiesAreAddressesOrCidrBlocksNeverNames() {
    assertThat(AddressRange.parse("10.0.0.0/8").contains(new byte[] {10, 1, 2, 3})).isTrue();
    assertThat(AddressRange.parse("10.0.0.0/8").contains(new byte[] {11, 1, 2, 3})).isFalse();
    assertThat(AddressRange.parse("192.0.2.7").contains(new byte[] {(byte) 192, 0, 2, 7})).isTrue();
    assertThat(AddressRange.parse("::1").contains(AddressRange.literal("::1"))).isTrue();
    for (String wrong : List.of("proxy.example.com", "cafe", "10.0.0.0/33", "300.1.1.1", "1/2/3")) {
      assertThatThrownBy(() -> AddressRange.parse(wrong))
          .as(wrong)
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  private static byte[] envelope(long seed) {
    return TestTelemetry.hostsEnvelopeJson(1, seed).getBytes(StandardCharsets.UTF_8);
  }

  private static void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}

package com.suse.telemetry.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.suse.telemetry.testkit.TestTelemetry;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** HTTPS served by the collector from PEM files, spoken to by real TLS clients. */
class HttpsTest {

  private static final Path CURL = Path.of("/usr/bin/curl");
  private static final Path OPENSSL = Path.of("/usr/bin/openssl");

  @TempDir Path directory;
  private final TestCertificates certificates = new TestCertificates();
  private Path certificate;
  private Path key;

  @BeforeEach
  void writeCertificate() {
    certificate = directory.resolve("tls.crt");
    key = directory.resolve("tls.key");
    certificates.writeServer("first.telemetry.test", certificate, key);
  }

  private TestServer https(TlsSettings.PlainHttp plain) {
    return new TestServer(
        values ->
            values
                .with(TlsSettings.CERT, certificate)
                .with(TlsSettings.KEY, key)
                .with(TlsSettings.PORT, 0)
                .with(TlsSettings.PLAIN_HTTP, plain)
                .with(TlsSettings.RELOAD_INTERVAL, Duration.ofSeconds(1)));
  }

  private static byte[] envelope(long seed) {
    return TestTelemetry.hostsEnvelopeJson(2, seed).getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void theJdkClientPublishesOverHttpsWithHttp2() throws Exception {
    try (TestServer server = https(TlsSettings.PlainHttp.ALL)) {
      HttpClient client = HttpClient.newBuilder().sslContext(certificates.clientContext()).build();

      HttpResponse<String> answer =
          client.send(
              HttpRequest.newBuilder(
                      URI.create(
                          "https://127.0.0.1:" + server.server.httpsPort() + "/api/v1/telemetry"))
                  .header("Content-Type", "application/json")
                  .POST(HttpRequest.BodyPublishers.ofByteArray(envelope(1)))
                  .build(),
              HttpResponse.BodyHandlers.ofString());

      assertThat(answer.statusCode()).isEqualTo(202);
      assertThat(answer.version()).isEqualTo(HttpClient.Version.HTTP_2);
      assertThat(answer.body()).isEqualTo("{\"accepted\":2,\"duplicates\":0}");
      assertThat(server.post("/api/v1/telemetry", envelope(2)).statusCode())
          .as("plain HTTP still serves everything by default")
          .isEqualTo(202);
    }
  }

  @Test
  void curlPublishesOverHttpsTrustingTheCertificateAuthority() throws Exception {
    assumeTrue(Files.isExecutable(CURL), "no curl");
    Path authority = directory.resolve("ca.crt");
    certificates.writeAuthority(authority);
    Path body = directory.resolve("envelope.json");
    Files.write(body, envelope(3));
    try (TestServer server = https(TlsSettings.PlainHttp.ALL)) {
      String output =
          run(
              CURL.toString(),
              "-sS",
              "--cacert",
              authority.toString(),
              "-H",
              "Content-Type: application/json",
              "--data-binary",
              "@" + body,
              "-w",
              " %{http_code} %{http_version}",
              "https://localhost:" + server.server.httpsPort() + "/api/v1/telemetry");

      assertThat(output).isEqualTo("{\"accepted\":2,\"duplicates\":0} 202 2");
    }
  }

  @Test
  void refusesTls11AndPlainHttpOnItsPort() throws Exception {
    assumeTrue(Files.isExecutable(OPENSSL), "no openssl");
    try (TestServer server = https(TlsSettings.PlainHttp.ALL)) {
      String address = "127.0.0.1:" + server.server.httpsPort();
      // The client is willing (security level 0 lets OpenSSL 3 offer TLS 1.1): the server refuses.
      String tls11 =
          run(
              OPENSSL.toString(),
              "s_client",
              "-connect",
              address,
              "-tls1_1",
              "-cipher",
              "DEFAULT@SECLEVEL=0");
      String tls12 = run(OPENSSL.toString(), "s_client", "-connect", address, "-tls1_2");

      assertThat(tls11).contains("alert protocol version").contains("Cipher is (NONE)");
      assertThat(tls12).contains("Protocol  : TLSv1.2").doesNotContain("Cipher is (NONE)");
      try (Socket socket = new Socket("127.0.0.1", server.server.httpsPort())) {
        socket.setSoTimeout(5000);
        OutputStream out = socket.getOutputStream();
        out.write("GET /api/ping HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
        InputStream in = socket.getInputStream();
        String answer = new String(in.readNBytes(64), StandardCharsets.ISO_8859_1);
        assertThat(answer).doesNotContain("pong").doesNotStartWith("HTTP/1.1 200");
      }
    }
  }

  @Test
  void servesACertificateReplacedOnDiskToNewConnectionsWithoutARestart() throws Exception {
    try (TestServer server = https(TlsSettings.PlainHttp.ALL)) {
      assertThat(subject(server)).contains("CN=first.telemetry.test");

      certificates.writeServer("second.telemetry.test", certificate, key);

      await()
          .atMost(Duration.ofSeconds(20))
          .pollInterval(Duration.ofMillis(200))
          .until(() -> subject(server).contains("CN=second.telemetry.test"));
    }
  }

  @Test
  void keepsItsCertificateWhileTheFilesOnDiskDoNotMakeAPair() throws Exception {
    try (TestServer server = https(TlsSettings.PlainHttp.ALL)) {
      Path otherCertificate = directory.resolve("other.crt");
      certificates.writeServer(
          "second.telemetry.test", otherCertificate, directory.resolve("other.key"));
      // The certificate is replaced, its key is not: the pair on disk does not match.
      Files.copy(otherCertificate, certificate, StandardCopyOption.REPLACE_EXISTING);

      // Three reload intervals: each check finds a pair that does not load.
      Thread.sleep(3_000);
      assertThat(subject(server)).contains("CN=first.telemetry.test");
      assertThat(server.post("/api/v1/telemetry", envelope(5)).statusCode()).isEqualTo(202);
    }
  }

  @Test
  void plainHttpCanServeHealthOnly() {
    try (TestServer server = https(TlsSettings.PlainHttp.HEALTH_ONLY)) {
      assertThat(server.get("/health/live").statusCode()).isEqualTo(200);
      assertThat(server.get("/api/ping").body()).isEqualTo("pong");

      HttpResponse<String> refused = server.post("/api/v1/telemetry", envelope(4));
      assertThat(refused.statusCode()).isEqualTo(403);
      assertThat(refused.body()).contains("https-required");
    }
  }

  private String subject(TestServer server) throws IOException {
    try (SSLSocket socket =
        (SSLSocket)
            certificates
                .clientContext()
                .getSocketFactory()
                .createSocket("127.0.0.1", server.server.httpsPort())) {
      socket.startHandshake();
      return ((X509Certificate) socket.getSession().getPeerCertificates()[0])
          .getSubjectX500Principal()
          .getName();
    }
  }

  private static String run(String... command) throws IOException, InterruptedException {
    Process process = new ProcessBuilder(List.of(command)).redirectErrorStream(true).start();
    process.getOutputStream().close();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    process.waitFor(30, TimeUnit.SECONDS);
    return output;
  }
}

package com.suse.telemetry.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.suse.telemetry.core.TelemetryException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Keys in every PEM form operators get, written by OpenSSL as their tools would. */
class PemKeyStoreTest {

  private static final Path OPENSSL = Path.of("/usr/bin/openssl");

  @TempDir Path directory;

  private void openssl(String... arguments) throws IOException, InterruptedException {
    List<String> command = new java.util.ArrayList<>(List.of(OPENSSL.toString()));
    command.addAll(List.of(arguments));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes());
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as(output).isZero();
  }

  private Path certificateFor(Path key, String name) throws IOException, InterruptedException {
    Path certificate = directory.resolve(name + ".crt");
    openssl(
        "req",
        "-x509",
        "-new",
        "-key",
        key.toString(),
        "-subj",
        "/CN=" + name,
        "-days",
        "2",
        "-out",
        certificate.toString());
    return certificate;
  }

  @Test
  void readsPkcs1RsaSec1EcAndPkcs8Keys() throws Exception {
    assumeTrue(Files.isExecutable(OPENSSL), "no openssl");
    Path rsa = directory.resolve("rsa.key");
    openssl("genrsa", "-traditional", "-out", rsa.toString(), "2048");
    Path ec = directory.resolve("ec.key");
    openssl("ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", ec.toString());
    Path pkcs8 = directory.resolve("pkcs8.key");
    openssl("genpkey", "-algorithm", "ed25519", "-out", pkcs8.toString());

    assertThat(Files.readString(rsa)).contains("BEGIN RSA PRIVATE KEY");
    assertThat(Files.readString(ec)).contains("BEGIN EC PRIVATE KEY");
    assertThat(Files.readString(pkcs8)).contains("BEGIN PRIVATE KEY");
    for (Path key : List.of(rsa, ec, pkcs8)) {
      String name = key.getFileName().toString().replace(".key", "");
      assertThat(PemKeyStore.subject(PemKeyStore.load(certificateFor(key, name), key)))
          .isEqualTo("CN=" + name);
    }
  }

  @Test
  void refusesAKeyThatIsNotTheCertificatesNamingTheFiles() throws Exception {
    assumeTrue(Files.isExecutable(OPENSSL), "no openssl");
    Path first = directory.resolve("first.key");
    Path second = directory.resolve("second.key");
    openssl("ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", first.toString());
    openssl("ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", second.toString());
    Path certificate = certificateFor(first, "first");

    assertThatThrownBy(() -> PemKeyStore.load(certificate, second))
        .isInstanceOf(TelemetryException.class)
        .hasMessageContaining("is not the key of the certificate");
    assertThatThrownBy(() -> PemKeyStore.load(second, first))
        .isInstanceOf(TelemetryException.class)
        .hasMessageContaining(second.toString());
  }
}

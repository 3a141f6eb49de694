package com.suse.telemetry.http;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A certificate authority made by a test, and server certificates it signs for 127.0.0.1 and
 * localhost, written as the PEM files an operator would get.
 */
final class TestCertificates {

  private final KeyPair authorityKey;
  private final X509Certificate authority;

  TestCertificates() {
    try {
      authorityKey = keyPair();
      X500Name name = new X500Name("CN=Telemetry Test CA");
      authority =
          sign(
              new JcaX509v3CertificateBuilder(
                      name,
                      BigInteger.ONE,
                      Date.from(Instant.now().minus(Duration.ofDays(1))),
                      Date.from(Instant.now().plus(Duration.ofDays(30))),
                      name,
                      authorityKey.getPublic())
                  .addExtension(Extension.basicConstraints, true, new BasicConstraints(true)),
              authorityKey);
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Writes a server certificate for {@code commonName} (and its key) to the two files. */
  void writeServer(String commonName, Path certificate, Path privateKey) {
    try {
      KeyPair key = keyPair();
      X509Certificate server =
          sign(
              new JcaX509v3CertificateBuilder(
                      authority,
                      BigInteger.valueOf(System.nanoTime()),
                      Date.from(Instant.now().minus(Duration.ofDays(1))),
                      Date.from(Instant.now().plus(Duration.ofDays(30))),
                      new X500Name("CN=" + commonName),
                      key.getPublic())
                  .addExtension(
                      Extension.subjectAlternativeName,
                      false,
                      new GeneralNames(
                          new GeneralName[] {
                            new GeneralName(GeneralName.iPAddress, "127.0.0.1"),
                            new GeneralName(GeneralName.dNSName, "localhost")
                          })),
              authorityKey);
      // Written elsewhere first, then moved: a reader never sees half a file.
      write(certificate, server, authority);
      write(privateKey, new JcaPKCS8Generator(key.getPrivate(), null).generate());
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Writes the authority's certificate, for clients such as curl. */
  void writeAuthority(Path file) {
    try {
      write(file, authority);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A TLS context trusting only this authority. */
  SSLContext clientContext() {
    try {
      KeyStore trusted = KeyStore.getInstance("PKCS12");
      trusted.load(null, null);
      trusted.setCertificateEntry("ca", authority);
      TrustManagerFactory trust =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      trust.init(trusted);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, trust.getTrustManagers(), null);
      return context;
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static KeyPair keyPair() throws GeneralSecurityException {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(256);
    return generator.generateKeyPair();
  }

  private static X509Certificate sign(X509v3CertificateBuilder builder, KeyPair signer)
      throws GeneralSecurityException {
    try {
      return new JcaX509CertificateConverter()
          .getCertificate(
              builder.build(
                  new JcaContentSignerBuilder("SHA256withECDSA").build(signer.getPrivate())));
    } catch (org.bouncycastle.operator.OperatorCreationException e) {
      throw new GeneralSecurityException(e);
    }
  }

  private static void write(Path file, Object... objects) throws IOException {
    Path partial = file.resolveSibling(file.getFileName() + ".partial");
    try (Writer writer = Files.newBufferedWriter(partial, StandardCharsets.US_ASCII);
        JcaPEMWriter pem = new JcaPEMWriter(writer)) {
      for (Object object : objects) {
        pem.writeObject(object);
      }
    }
    Files.move(
        partial,
        file,
        java.nio.file.StandardCopyOption.REPLACE_EXISTING,
        java.nio.file.StandardCopyOption.ATOMIC_MOVE);
  }
}

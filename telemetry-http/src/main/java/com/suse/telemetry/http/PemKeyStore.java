package com.suse.telemetry.http;

import com.suse.telemetry.core.TelemetryException;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Collection;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;

/**
 * A key store made in memory from PEM files: the certificate chain as the JDK reads it, the private
 * key in any of the forms CAs, cert-manager and ACME clients write (PKCS#8, PKCS#1 RSA, SEC1 EC)
 * through Bouncy Castle's PEM parser.
 */
final class PemKeyStore {

  /** The password of the in-memory store and its key; nothing is written anywhere. */
  static final String PASSWORD = "in-memory";

  private PemKeyStore() {}

  /**
   * The key store holding {@code privateKey} with {@code certificateChain}.
   *
   * @throws TelemetryException naming the file that cannot be read or is not what it should be
   */
  static KeyStore load(Path certificateChain, Path privateKey) {
    Certificate[] chain = certificates(certificateChain);
    PrivateKey key = privateKey(privateKey);
    requirePair(key, chain[0], certificateChain, privateKey);
    try {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      store.setKeyEntry("server", key, PASSWORD.toCharArray(), chain);
      return store;
    } catch (GeneralSecurityException | IOException e) {
      throw new TelemetryException(
          "cannot pair the key in " + privateKey + " with " + certificateChain + ": " + e, e);
    }
  }

  /** The subject of the first certificate in {@code certificateChain}, for the log. */
  static String subject(KeyStore store) {
    try {
      return ((X509Certificate) store.getCertificate("server")).getSubjectX500Principal().getName();
    } catch (GeneralSecurityException e) {
      return "unknown";
    }
  }

  /**
   * Fails unless {@code key} is the certificate's: files replaced one after the other (a rotation
   * caught half way) must not pair a new certificate with an old key.
   */
  private static void requirePair(
      PrivateKey key, Certificate certificate, Path cert, Path keyFile) {
    String algorithm =
        switch (key.getAlgorithm()) {
          case "RSA" -> "SHA256withRSA";
          case "EC" -> "SHA256withECDSA";
          default -> key.getAlgorithm(); // Ed25519, Ed448
        };
    try {
      byte[] probe = "telemetry".getBytes(StandardCharsets.US_ASCII);
      Signature signer = Signature.getInstance(algorithm);
      signer.initSign(key);
      signer.update(probe);
      byte[] signature = signer.sign();
      Signature verifier = Signature.getInstance(algorithm);
      verifier.initVerify(certificate.getPublicKey());
      verifier.update(probe);
      if (verifier.verify(signature)) {
        return;
      }
    } catch (GeneralSecurityException e) {
      // Said below.
    }
    throw new TelemetryException(
        "the private key in " + keyFile + " is not the key of the certificate in " + cert);
  }

  private static Certificate[] certificates(Path file) {
    try (var in = Files.newInputStream(file)) {
      Collection<? extends Certificate> chain =
          CertificateFactory.getInstance("X.509").generateCertificates(in);
      if (chain.isEmpty()) {
        throw new TelemetryException(file + " holds no PEM certificate");
      }
      return chain.toArray(Certificate[]::new);
    } catch (IOException | GeneralSecurityException e) {
      throw new TelemetryException("cannot read the certificate chain in " + file + ": " + e, e);
    }
  }

  private static PrivateKey privateKey(Path file) {
    try (Reader reader = Files.newBufferedReader(file, StandardCharsets.US_ASCII);
        PEMParser pem = new PEMParser(reader)) {
      JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
      for (Object object = pem.readObject(); object != null; object = pem.readObject()) {
        if (object instanceof PrivateKeyInfo info) {
          return converter.getPrivateKey(info);
        }
        if (object instanceof PEMKeyPair pair) {
          return converter.getPrivateKey(pair.getPrivateKeyInfo());
        }
      }
      throw new TelemetryException(
          file + " holds no unencrypted PEM private key (PKCS#8, PKCS#1 RSA or SEC1 EC)");
    } catch (IOException e) {
      throw new TelemetryException("cannot read the private key in " + file + ": " + e, e);
    }
  }
}

package com.suse.telemetry.http;

import com.suse.telemetry.core.TelemetryException;
import java.io.IOException;
import java.nio.file.Files;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves a new certificate without a restart: checks the PEM files every so often (their content,
 * so that a Kubernetes secret swapped behind a symbolic link is seen too) and, once they hold a new
 * certificate with its key, reloads the TLS context: connections made from then on get the new
 * certificate, those already open keep theirs. Files caught half way through a rotation (a new
 * certificate with the old key) are tried again at the next check.
 */
final class CertificateReloader implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(CertificateReloader.class);

  private final TlsSettings settings;
  private final SslContextFactory.Server context;
  private final ScheduledExecutorService clock;
  private byte[] loaded;
  private String lastProblem;

  CertificateReloader(TlsSettings settings, SslContextFactory.Server context) {
    this.settings = settings;
    this.context = context;
    this.loaded = fingerprint();
    this.clock =
        Executors.newSingleThreadScheduledExecutor(
            task -> {
              Thread thread = new Thread(task, "certificate-reloader");
              thread.setDaemon(true);
              return thread;
            });
    long every = settings.reloadInterval().toMillis();
    clock.scheduleWithFixedDelay(this::check, every, every, TimeUnit.MILLISECONDS);
  }

  private void check() {
    byte[] current = fingerprint();
    if (current == null || Arrays.equals(current, loaded)) {
      return;
    }
    try {
      KeyStore store = PemKeyStore.load(settings.certificate(), settings.privateKey());
      context.reload(factory -> factory.setKeyStore(store));
      loaded = current;
      lastProblem = null;
      LOG.info("HTTPS certificate reloaded: {}", PemKeyStore.subject(store));
    } catch (Exception e) {
      // Jetty's reload throws Exception; anything that failed leaves the old certificate served.
      String problem = e instanceof TelemetryException ? e.getMessage() : e.toString();
      if (!problem.equals(lastProblem)) {
        LOG.warn("HTTPS certificate files changed but cannot be loaded yet: {}", problem);
        lastProblem = problem;
      }
    }
  }

  /** A digest of both files' content; null when one cannot be read right now. */
  private byte[] fingerprint() {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      digest.update(Files.readAllBytes(settings.certificate()));
      digest.update(Files.readAllBytes(settings.privateKey()));
      return digest.digest();
    } catch (IOException e) {
      return null;
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  @Override
  public void close() {
    clock.shutdownNow();
  }
}

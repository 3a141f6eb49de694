package com.suse.telemetry.http;

import io.javalin.config.JavalinConfig;
import java.security.KeyStore;
import org.eclipse.jetty.alpn.server.ALPNServerConnectionFactory;
import org.eclipse.jetty.http2.server.HTTP2ServerConnectionFactory;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where the HTTP API listens: plain HTTP, and HTTPS when a certificate is configured (TLS 1.2 and
 * 1.3 only, the JDK's cipher defaults, HTTP/2 or HTTP/1.1 as ALPN agrees; the certificate reloaded
 * from its files without a restart).
 */
final class Listeners implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(Listeners.class);

  private final HttpSettings settings;
  private final SslContextFactory.Server tls;
  private ServerConnector plain;
  private ServerConnector secure;
  private CertificateReloader reloader;

  Listeners(HttpSettings settings) {
    this.settings = settings;
    this.tls = settings.tls() == null ? null : context(settings.tls());
  }

  private static SslContextFactory.Server context(TlsSettings settings) {
    KeyStore store = PemKeyStore.load(settings.certificate(), settings.privateKey());
    SslContextFactory.Server context = new SslContextFactory.Server();
    context.setKeyStore(store);
    context.setKeyStorePassword(PemKeyStore.PASSWORD);
    context.setIncludeProtocols("TLSv1.3", "TLSv1.2");
    // HTTP/2 forbids the ciphers HTTP/1.1 over TLS 1.2 may still use; the JDK's defaults,
    // ordered with the strongest first, suit both.
    context.setCipherComparator(org.eclipse.jetty.http2.HTTP2Cipher.COMPARATOR);
    context.setUseCipherSuitesOrder(true);
    LOG.info("HTTPS certificate: {}", PemKeyStore.subject(store));
    return context;
  }

  /** Adds the connectors to Javalin's Jetty. */
  void configure(JavalinConfig config) {
    config.jetty.addConnector(
        (server, http) -> {
          plain = new ServerConnector(server, new HttpConnectionFactory(http));
          plain.setHost(settings.host());
          plain.setPort(settings.port());
          return plain;
        });
    if (tls != null) {
      config.jetty.addConnector(this::secure);
    }
  }

  private ServerConnector secure(Server server, HttpConfiguration http) {
    HttpConfiguration https = new HttpConfiguration(http);
    SecureRequestCustomizer customizer = new SecureRequestCustomizer();
    // Clients reach the collector by any of its names or addresses: the certificate is the
    // operator's choice, not a constraint on the Host header.
    customizer.setSniHostCheck(false);
    https.addCustomizer(customizer);
    HttpConnectionFactory http11 = new HttpConnectionFactory(https);
    HTTP2ServerConnectionFactory http2 = new HTTP2ServerConnectionFactory(https);
    ALPNServerConnectionFactory alpn = new ALPNServerConnectionFactory();
    alpn.setDefaultProtocol(http11.getProtocol());
    secure =
        new ServerConnector(
            server, new SslConnectionFactory(tls, alpn.getProtocol()), alpn, http2, http11);
    secure.setHost(settings.host());
    secure.setPort(settings.tls().port());
    reloader = new CertificateReloader(settings.tls(), tls);
    return secure;
  }

  /** The plain HTTP port. */
  int port() {
    return plain.getLocalPort();
  }

  /** The HTTPS port, or -1 when HTTPS is off. */
  int securePort() {
    return secure == null ? -1 : secure.getLocalPort();
  }

  /** Whether plain HTTP serves only health routes. */
  boolean plainServesHealthOnly() {
    return settings.tls() != null
        && settings.tls().plainHttp() == TlsSettings.PlainHttp.HEALTH_ONLY;
  }

  @Override
  public void close() {
    if (reloader != null) {
      reloader.close();
    }
  }
}

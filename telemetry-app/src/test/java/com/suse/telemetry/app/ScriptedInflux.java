package com.suse.telemetry.app;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

/**
 * An HTTP server answering InfluxDB's {@code /api/v2/write} as a script says: it takes every write
 * (204) and notes the agents of the points, but answers 500 to any write holding a chosen marker,
 * as an InfluxDB failing on one record would.
 */
final class ScriptedInflux implements AutoCloseable {

  private static final Pattern AGENT = Pattern.compile("agent_id=([^, ]+)");

  private final HttpServer server;
  private final Set<String> agents = ConcurrentHashMap.newKeySet();
  private final AtomicInteger failedWrites = new AtomicInteger();
  private volatile String failOn;

  private ScriptedInflux(HttpServer server) {
    this.server = server;
  }

  static ScriptedInflux start() {
    try {
      HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
      ScriptedInflux influx = new ScriptedInflux(server);
      server.createContext("/api/v2/write", influx::answer);
      server.start();
      return influx;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /** Answers 500 to every write holding {@code marker}; null to take everything. */
  void failOn(String marker) {
    this.failOn = marker;
  }

  /** The agents of every point taken. */
  Set<String> agents() {
    return Set.copyOf(agents);
  }

  int failedWrites() {
    return failedWrites.get();
  }

  private void answer(HttpExchange exchange) throws IOException {
    InputStream body = exchange.getRequestBody();
    if ("gzip".equals(exchange.getRequestHeaders().getFirst("Content-Encoding"))) {
      body = new GZIPInputStream(body);
    }
    List<String> lines =
        List.of(new String(body.readAllBytes(), StandardCharsets.UTF_8).split("\n"));
    String marker = failOn;
    if (marker != null && lines.stream().anyMatch(line -> line.contains(marker))) {
      failedWrites.incrementAndGet();
      byte[] message =
          "{\"code\":\"internal error\",\"message\":\"unexpected error writing points\"}"
              .getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(500, message.length);
      exchange.getResponseBody().write(message);
    } else {
      for (String line : lines) {
        Matcher agent = AGENT.matcher(line);
        if (agent.find()) {
          agents.add(agent.group(1));
        }
      }
      exchange.sendResponseHeaders(204, -1);
    }
    exchange.close();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}

package com.suse.telemetry.client;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPInputStream;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A stand-in for the collector on the JDK's HTTP server: answers each request from a script (then
 * with a default answer), and records when each request arrived, its headers and its body. Its
 * acceptance is idempotent by envelope id, as the collector's is.
 */
final class ScriptedCollector implements AutoCloseable {

  /** How to answer one request, given the envelope it carried (gunzipped). */
  @FunctionalInterface
  interface Answer {
    Reply to(byte[] envelope);
  }

  /** One answer: a status with headers and a body, a dropped connection, or a stall first. */
  record Reply(int status, Map<String, String> headers, String body, Duration stall) {

    static Reply status(int status) {
      return new Reply(status, Map.of(), "", Duration.ZERO);
    }

    /** Problem details as the collector writes them, with one error. */
    static Reply problem(int status, String pointer, String message) {
      return status(status)
          .header("Content-Type", "application/problem+json")
          .body(
              "{\"type\":\"https://telemetry.suse.com/problems/test\",\"title\":\"Refused\","
                  + "\"status\":"
                  + status
                  + ",\"detail\":\"1 violation; see errors\",\"errors\":[{\"pointer\":\""
                  + pointer
                  + "\",\"message\":\""
                  + message
                  + "\"}]}");
    }

    /** The connection is closed with no answer. */
    static Reply drop() {
      return new Reply(0, Map.of(), "", Duration.ZERO);
    }

    Reply header(String name, String value) {
      Map<String, String> more = new LinkedHashMap<>(headers);
      more.put(name, value);
      return new Reply(status, more, body, stall);
    }

    Reply body(String json) {
      return new Reply(status, headers, json, stall);
    }

    /** Answers only after {@code delay}, by when a client may have given up. */
    Reply after(Duration delay) {
      return new Reply(status, headers, body, delay);
    }
  }

  /** One request as it arrived. */
  record Arrival(long nanos, Instant at, String path, Headers headers, byte[] body, int status) {

    /** The body, gunzipped if it was sent so. */
    byte[] envelope() {
      return "gzip".equals(headers.getFirst("Content-Encoding")) ? gunzip(body) : body;
    }

    JsonNode envelopeJson() {
      return JsonMapper.shared().readTree(envelope());
    }

    UUID id() {
      return UUID.fromString(envelopeJson().path("id").asString());
    }
  }

  static {
    // Without it the JDK's server writes an answer's body only once the client acknowledges its
    // headers, which Linux delays by up to 40 ms: each answer would take that long.
    System.setProperty("sun.net.httpserver.nodelay", "true");
  }

  private final HttpServer server;
  private final ExecutorService executor = Executors.newCachedThreadPool();
  private final Deque<Answer> script = new ArrayDeque<>();
  private final List<Arrival> arrivals = new ArrayList<>();
  private final Set<UUID> stored = ConcurrentHashMap.newKeySet();
  private final AtomicInteger handling = new AtomicInteger();
  private final AtomicInteger mostHandledAtOnce = new AtomicInteger();
  private Answer otherwise = this::accept;

  private ScriptedCollector() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(executor);
    server.createContext("/", this::handle);
    server.start();
  }

  /** A collector on a free port of the loopback address, accepting everything until scripted. */
  static ScriptedCollector start() {
    try {
      return new ScriptedCollector();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** 202 with the collector's counts; an envelope id seen before counts as duplicates. */
  Reply accept(byte[] envelope) {
    JsonNode json = JsonMapper.shared().readTree(envelope);
    JsonNode payload = json.path("payload");
    int records = payload.isArray() ? payload.size() : 1;
    boolean fresh = !json.has("id") || stored.add(UUID.fromString(json.get("id").asString()));
    return Reply.status(202)
        .header("Content-Type", "application/json")
        .body(
            fresh
                ? "{\"accepted\":" + records + ",\"duplicates\":0}"
                : "{\"accepted\":0,\"duplicates\":" + records + "}");
  }

  /** Answers the next requests so, in order. */
  synchronized ScriptedCollector script(Answer... answers) {
    script.addAll(List.of(answers));
    return this;
  }

  /** Answers every request after the script so; {@link #accept} until then. */
  synchronized ScriptedCollector otherwise(Answer answer) {
    this.otherwise = answer;
    return this;
  }

  /** The base URL, as a source is configured with. */
  URI uri() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  /** Every request so far, in the order they arrived. */
  synchronized List<Arrival> arrivals() {
    return List.copyOf(arrivals);
  }

  /** The envelope ids accepted so far, each once. */
  Set<UUID> storedIds() {
    return Set.copyOf(stored);
  }

  /** The most requests that were being answered at the same time. */
  int mostHandledAtOnce() {
    return mostHandledAtOnce.get();
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }

  private void handle(HttpExchange exchange) throws IOException {
    long nanos = System.nanoTime();
    Instant at = Instant.now();
    mostHandledAtOnce.accumulateAndGet(handling.incrementAndGet(), Math::max);
    boolean counted = true;
    try (exchange) {
      byte[] body = exchange.getRequestBody().readAllBytes();
      Headers headers = new Headers();
      headers.putAll(exchange.getRequestHeaders());
      String path = exchange.getRequestURI().getPath();
      Reply reply;
      synchronized (this) {
        Arrival arriving = new Arrival(nanos, at, path, headers, body, 0);
        Answer answer = script.isEmpty() ? otherwise : script.poll();
        reply = answer.to(arriving.envelope());
        // Recorded before answering: a client may act on the answer at once.
        arrivals.add(new Arrival(nanos, at, path, headers, body, reply.status()));
      }
      if (!reply.stall().isZero()) {
        Thread.sleep(reply.stall().toMillis());
      }
      if (reply.status() == 0) {
        return; // Closing the exchange with no answer closes the connection.
      }
      byte[] answer = reply.body().getBytes(StandardCharsets.UTF_8);
      reply.headers().forEach((name, value) -> exchange.getResponseHeaders().add(name, value));
      // Done before the answer leaves: a client may send its next request as soon as it has it,
      // before this thread runs again.
      handling.decrementAndGet();
      counted = false;
      exchange.sendResponseHeaders(reply.status(), answer.length == 0 ? -1 : answer.length);
      exchange.getResponseBody().write(answer);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (IOException e) {
      // The client gave up on a stalled answer.
    } finally {
      if (counted) {
        handling.decrementAndGet();
      }
    }
  }

  private static byte[] gunzip(byte[] body) {
    try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(body))) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

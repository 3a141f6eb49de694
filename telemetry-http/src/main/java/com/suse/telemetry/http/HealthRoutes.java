package com.suse.telemetry.http;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.time.Duration;
import java.util.function.Supplier;
import tools.jackson.databind.node.ObjectNode;

/**
 * Health: {@code GET /api/ping} ({@code pong}, the original collector's check), {@code GET
 * /health/live} and {@code GET /health/ready} (503 with {@code Retry-After} while the collector
 * cannot take submissions). Readiness is asked of the collector at most once per half second, so
 * that a flood of probes costs nothing behind it.
 */
final class HealthRoutes {

  private static final long FRESH_NANOS = Duration.ofMillis(500).toNanos();
  private static final byte[] PONG = {'p', 'o', 'n', 'g'};

  private final Supplier<Health> health;
  private final long retryAfterSeconds;
  private final byte[] live;
  private Health last;
  private long lastAsked;

  HealthRoutes(Supplier<Health> health, Duration retryAfter) {
    this.health = health;
    this.retryAfterSeconds = retryAfter.toSeconds();
    this.live = Responses.JSON.writeValueAsBytes(status("UP"));
  }

  void register(RoutesConfig routes) {
    routes.get("/api/ping", ctx -> Responses.send(ctx, 200, "text/plain", PONG));
    routes.get("/health/live", ctx -> Responses.send(ctx, 200, Responses.JSON_TYPE, live));
    routes.get("/health/ready", this::ready);
  }

  private void ready(Context ctx) {
    Health current = current();
    ObjectNode body = status(current.ready() ? "UP" : "DOWN");
    body.set("checks", Responses.JSON.valueToTree(current.checks()));
    if (!current.ready()) {
      ctx.header("Retry-After", Long.toString(retryAfterSeconds));
    }
    Responses.json(ctx, current.ready() ? 200 : 503, body);
  }

  private synchronized Health current() {
    long now = System.nanoTime();
    if (last == null || now - lastAsked > FRESH_NANOS) {
      last = health.get();
      lastAsked = now;
    }
    return last;
  }

  private static ObjectNode status(String status) {
    return Responses.JSON.createObjectNode().put("status", status);
  }
}

package com.suse.telemetry.http;

import com.suse.telemetry.core.spi.StoreUnavailableException;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Map;
import java.util.function.Supplier;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code GET /api/v1/quarantine}: a read-only summary of the quarantine for operators, served only
 * to clients on the collector's own machine (a loopback address, and no proxy's forwarding header):
 * what sources sent that validation rejected is not for everyone to read.
 */
final class QuarantineRoutes {

  private final Supplier<Map<String, Object>> summary;
  private final Problem unavailable;

  QuarantineRoutes(Supplier<Map<String, Object>> summary, long retryAfterSeconds) {
    this.summary = summary;
    this.unavailable = Problem.storeUnavailable(retryAfterSeconds);
  }

  void register(RoutesConfig routes) {
    routes.get("/api/v1/quarantine", this::summary);
  }

  private void summary(Context ctx) {
    if (!isLocal(ctx)) {
      throw Problem.status(403, "served to clients on the collector's own machine only");
    }
    Map<String, Object> current;
    try {
      current = summary.get();
    } catch (StoreUnavailableException e) {
      throw unavailable;
    }
    Responses.json(ctx, 200, (ObjectNode) Responses.JSON.valueToTree(current));
  }

  private static boolean isLocal(Context ctx) {
    if (ctx.header("X-Forwarded-For") != null || ctx.header("Forwarded") != null) {
      return false;
    }
    try {
      // The address as the server reports it: a literal, never looked up.
      return InetAddress.getByName(ctx.req().getRemoteAddr()).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }
}

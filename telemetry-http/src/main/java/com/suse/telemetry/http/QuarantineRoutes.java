package com.suse.telemetry.http;

import com.suse.telemetry.core.spi.StoreUnavailableException;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.Map;
import java.util.function.Supplier;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code GET /quarantine} on the management API: a read-only summary of the quarantine for
 * operators (its size, counters and largest groups; never a body). 503 with {@code Retry-After}
 * while the quarantine cannot be read.
 */
final class QuarantineRoutes {

  private final Supplier<Map<String, Object>> summary;
  private final Problem unavailable;

  QuarantineRoutes(Supplier<Map<String, Object>> summary, long retryAfterSeconds) {
    this.summary = summary;
    this.unavailable = Problem.storeUnavailable(retryAfterSeconds);
  }

  void register(RoutesConfig routes) {
    routes.get("/quarantine", this::summary);
  }

  private void summary(Context ctx) {
    Map<String, Object> current;
    try {
      current = summary.get();
    } catch (StoreUnavailableException e) {
      Responses.write(ctx, unavailable);
      return;
    }
    Responses.json(ctx, 200, (ObjectNode) Responses.JSON.valueToTree(current));
  }
}

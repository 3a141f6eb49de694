package com.suse.telemetry.client;

import com.suse.telemetry.core.Violation;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.MissingNode;

/** What the collector's answer to one envelope means for the publisher. */
final class CollectorAnswer {

  /** What to do after an answer. */
  enum Verdict {
    /** 202: done. */
    ACCEPTED,
    /** Sending the same envelope again cannot succeed: done. */
    REFUSED,
    /** Sending it again later may succeed. */
    RETRY
  }

  private CollectorAnswer() {}

  /** The verdict on an HTTP status. */
  static Verdict verdict(int status) {
    if (status == 202) {
      return Verdict.ACCEPTED;
    }
    // 408 and 429 are about timing, 5xx about the collector's state (it stores nothing then):
    // the same envelope may pass later. Any other answer, including a 2xx or 3xx the collector
    // never gives, says the request itself is wrong or goes to the wrong place.
    if (status == 408 || status == 429 || status >= 500) {
      return Verdict.RETRY;
    }
    return Verdict.REFUSED;
  }

  /** Whether {@code status} is one where the collector's {@code Retry-After} is honoured. */
  static boolean honoursRetryAfter(int status) {
    return status == 429 || status == 503;
  }

  /** The counts of a 202 answer's body. */
  record Acknowledgement(int accepted, int duplicates) {

    /** The {@code accepted} and {@code duplicates} of {@code body}; 0 for either it lacks. */
    static Acknowledgement of(byte[] body) {
      JsonNode answer = read(body);
      return new Acknowledgement(
          answer.path("accepted").asInt(0), answer.path("duplicates").asInt(0));
    }
  }

  /**
   * The {@code errors} of problem details (RFC 9457) as violations; if the body holds none, one
   * violation at the document with the problem's detail, title or the bare status.
   */
  static List<Violation> errors(int status, byte[] body) {
    JsonNode problem = read(body);
    List<Violation> errors = new ArrayList<>();
    for (JsonNode error : problem.path("errors")) {
      if (error.path("pointer").isString() && error.path("message").isString()) {
        errors.add(
            new Violation(error.get("pointer").stringValue(), error.get("message").stringValue()));
      }
    }
    if (errors.isEmpty()) {
      errors.add(new Violation("", describe(status, body)));
    }
    return errors;
  }

  /** One line on an answer: its status and the problem's title and detail, when it has them. */
  static String describe(int status, byte[] body) {
    JsonNode problem = read(body);
    String title = problem.path("title").asString("");
    String detail = problem.path("detail").asString("");
    StringBuilder text = new StringBuilder("HTTP ").append(status);
    if (!title.isEmpty()) {
      text.append(' ').append(title);
    }
    if (!detail.isEmpty()) {
      text.append(": ").append(detail);
    }
    return text.toString();
  }

  private static JsonNode read(byte[] body) {
    try {
      JsonNode node = JsonMapper.shared().readTree(body);
      return node == null ? MissingNode.getInstance() : node;
    } catch (JacksonException e) {
      // A proxy's HTML page or a cut-off body: the status alone has to do.
      return MissingNode.getInstance();
    }
  }
}

package com.suse.telemetry.testkit;

import static java.util.Objects.requireNonNull;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * One answer an HTTP test received, with what it answered: the request's method and raw path, the
 * status, the headers and the body as text.
 *
 * @param method the request's method, e.g. {@code POST}
 * @param path the request's path as sent (percent-encoded), without the query
 * @param status the answer's status code
 * @param headers the answer's headers, names in any case
 * @param body the answer's body, decoded as UTF-8
 */
public record HttpExchange(
    String method, String path, int status, Map<String, List<String>> headers, String body) {

  /** Checks every part is there, and takes a copy of the headers. */
  public HttpExchange {
    requireNonNull(method, "method");
    requireNonNull(path, "path");
    headers = Map.copyOf(requireNonNull(headers, "headers"));
    requireNonNull(body, "body");
  }

  /** The exchange of a JDK client's {@code response}, whose body is text or bytes. */
  public static HttpExchange of(HttpResponse<?> response) {
    Object body = response.body();
    String text;
    if (body instanceof String string) {
      text = string;
    } else if (body instanceof byte[] bytes) {
      text = new String(bytes, StandardCharsets.UTF_8);
    } else {
      text = "";
    }
    return new HttpExchange(
        response.request().method(),
        response.request().uri().getRawPath(),
        response.statusCode(),
        response.headers().map(),
        text);
  }

  /** The first value of the header {@code name}, in any case. */
  public Optional<String> header(String name) {
    return headers.entrySet().stream()
        .filter(header -> header.getKey().equalsIgnoreCase(name))
        .flatMap(header -> header.getValue().stream())
        .findFirst();
  }

  /** The media type of the body, lower case and without parameters; empty without one. */
  public String mediaType() {
    return header("Content-Type")
        .map(type -> type.split(";", 2)[0].trim().toLowerCase(Locale.ROOT))
        .orElse("");
  }

  @Override
  public String toString() {
    return method + " " + path + " -> " + status;
  }
}

package com.suse.telemetry.bench;

import io.javalin.Javalin;
import io.javalin.compression.CompressionStrategy;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * The HTTP ceiling (K-H): a Javalin endpoint that reads the whole body, discards it, and answers
 * 202, with no compression and writing the answer as the collector does.
 */
public final class NoopServer {

  private NoopServer() {}

  public static void main(String[] args) {
    int port = Integer.parseInt(args[0]);
    byte[] answer = "{\"accepted\":0,\"duplicates\":0}".getBytes();
    Javalin.create(
            config -> {
              config.startup.showJavalinBanner = false;
              config.http.compressionStrategy = CompressionStrategy.NONE;
              config.jetty.port = port;
              config.routes.post(
                  "/api/v1/telemetry",
                  ctx -> {
                    try (InputStream body = ctx.bodyInputStream()) {
                      body.transferTo(OutputStream.nullOutputStream());
                    }
                    ctx.status(202).contentType("application/json");
                    ctx.res().setContentLength(answer.length);
                    ctx.res().getOutputStream().write(answer);
                  });
            })
        .start();
  }
}

package dev.privacykit.server;

import dev.privacykit.audit.Witness;
import io.javalin.Javalin;

/**
 * A {@link Witness} over HTTP: {@code POST /add-checkpoint} (C2SP tlog-witness), bodies up to 64
 * KiB. What {@code privacykit witness serve} runs, and what the publication benchmark talks to.
 */
public final class WitnessServer {
  private WitnessServer() {}

  /** Starts serving {@code witness} on {@code host}:{@code port} (0 picks a free port). */
  public static Javalin start(Witness witness, String host, int port) {
    return Javalin.create(
            config -> {
              config.startup.showJavalinBanner = false;
              config.jetty.host = host;
              config.jetty.port = port;
              config.http.maxRequestSize = 64 * 1024;
              config.routes.post(
                  "/add-checkpoint",
                  ctx -> {
                    Witness.Answer answer = witness.addCheckpoint(ctx.body());
                    ctx.status(answer.status())
                        .contentType(answer.contentType())
                        .result(answer.body());
                  });
            })
        .start();
  }
}

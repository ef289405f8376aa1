package dev.privacykit.server.cli;

import dev.privacykit.server.LogFormat;
import dev.privacykit.server.ServerConfig;
import dev.privacykit.server.Setting;
import dev.privacykit.server.http.PrivacyKitServer;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code privacykit serve}: runs the standalone service until SIGTERM or Ctrl-C. */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    description = "Start the PrivacyKit HTTP service (the default command).")
public final class ServeCommand implements Callable<Integer> {
  @Mixin ConfigOptions options;

  @Option(names = "--port", description = "TCP port (overrides server.port); 0 picks a free one.")
  public Integer port;

  @Option(names = "--host", description = "Address to bind (overrides server.host).")
  public String host;

  @Override
  public Integer call() throws InterruptedException {
    Map<Setting, String> overrides = new EnumMap<>(Setting.class);
    if (port != null) {
      overrides.put(Setting.PORT, port.toString());
    }
    if (host != null) {
      overrides.put(Setting.HOST, host);
    }
    ServerConfig config = options.load(overrides);
    LogFormat.of(config.get(Setting.LOG_FORMAT)).apply();
    // The hook is in place before the server announces that it listens, so a SIGTERM that
    // follows the announcement always finds a server to stop.
    AtomicReference<PrivacyKitServer> running = new AtomicReference<>();
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  PrivacyKitServer server = running.get();
                  if (server != null) {
                    server.close();
                  }
                },
                "privacykit-shutdown"));
    PrivacyKitServer server = PrivacyKitServer.start(config, running::set);
    server.awaitStop();
    return 0;
  }
}

package dev.privacykit.consent.server;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code privacykit serve}: runs the standalone service until SIGTERM or Ctrl-C. */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    description = "Start the PrivacyKit HTTP service (the default command).")
final class ServeCommand implements Callable<Integer> {

  @Option(
      names = "--port",
      defaultValue = "${env:PRIVACYKIT_PORT:-8080}",
      description = "TCP port (env PRIVACYKIT_PORT; default ${DEFAULT-VALUE}); 0 picks a free one.")
  int port;

  @Option(
      names = "--host",
      defaultValue = "${env:PRIVACYKIT_HOST:-127.0.0.1}",
      description = "Address to bind (env PRIVACYKIT_HOST; default ${DEFAULT-VALUE}).")
  String host;

  @Option(
      names = "--data-dir",
      defaultValue = "${env:PRIVACYKIT_DATA_DIR:-privacykit-data}",
      description =
          "Directory for the embedded database and local keys (env PRIVACYKIT_DATA_DIR;"
              + " default ${DEFAULT-VALUE}).")
  Path dataDirectory;

  @Option(
      names = "--database-url",
      defaultValue = "${env:PRIVACYKIT_DATABASE_URL}",
      description =
          "JDBC URL of a PostgreSQL database (env PRIVACYKIT_DATABASE_URL); embedded H2 when unset.")
  String databaseUrl;

  @Override
  public Integer call() throws InterruptedException {
    ServerConfig config = new ServerConfig(host, port, dataDirectory, databaseUrl);
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

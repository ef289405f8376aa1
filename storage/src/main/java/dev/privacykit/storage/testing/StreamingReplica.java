package dev.privacykit.storage.testing;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * A hot-standby PostgreSQL cluster streaming from the test PostgreSQL ({@link
 * TestDatabase#postgresUrl()}), made by the test with {@code pg_basebackup -R -X stream} into a
 * temporary directory and started with {@code postgres} on a free port on 127.0.0.1. {@link
 * #close()} stops it and deletes the directory.
 *
 * <p>Needs, on the machine that runs the test: the server binaries of the primary's major version
 * ({@code /usr/lib/postgresql/<major>/bin}, or {@code PRIVACYKIT_TEST_PG_BIN}); the primary on
 * 127.0.0.1 with a {@code replication} entry in pg_hba.conf for 127.0.0.1 ({@code .ci/run} adds
 * {@code host replication all 127.0.0.1/32 trust}); and, when the test runs as root, the {@code
 * postgres} OS user (PostgreSQL will not run as root; {@code runuser} is used).
 */
public final class StreamingReplica implements AutoCloseable {
  private final Path dir;
  private final int port;
  private final Process server;
  private final List<String> asOwner;
  private final Path bin;

  private StreamingReplica(Path dir, int port, Process server, List<String> asOwner, Path bin) {
    this.dir = dir;
    this.port = port;
    this.server = server;
    this.asOwner = asOwner;
    this.bin = bin;
  }

  /**
   * Skips the calling test when this machine cannot make a replica, or fails it when PostgreSQL
   * tests are required ({@link TestDatabase#postgresRequired()}), naming the reason.
   */
  public static void assumeAvailable() {
    unavailable()
        .ifPresent(
            reason -> {
              if (TestDatabase.postgresRequired()) {
                org.junit.jupiter.api.Assertions.fail("cannot make a streaming replica: " + reason);
              }
              org.junit.jupiter.api.Assumptions.abort("cannot make a streaming replica: " + reason);
            });
  }

  /** Why a replica cannot be made on this machine, or empty when it can (as far as is known). */
  public static Optional<String> unavailable() {
    try {
      Path bin = binaries(majorVersion());
      if (!Files.isExecutable(bin.resolve("pg_basebackup"))
          || !Files.isExecutable(bin.resolve("postgres"))) {
        return Optional.of("no pg_basebackup and postgres in " + bin);
      }
      if (root() && !Files.isExecutable(Path.of("/usr/sbin/runuser"))) {
        return Optional.of("running as root without runuser to start postgres as 'postgres'");
      }
      return Optional.empty();
    } catch (SQLException e) {
      return Optional.of("the primary is unreachable: " + e.getMessage());
    }
  }

  /** Makes the base backup, starts the standby and waits until it accepts read-only queries. */
  public static StreamingReplica start() throws Exception {
    return start(true);
  }

  /**
   * Makes the base backup and starts it as a primary of its own, or as a standby; waits until it
   * answers as one. {@link SecondPrimary} uses the former.
   */
  static StreamingReplica start(boolean standby) throws Exception {
    URI primary = URI.create(TestDatabase.postgresUrl().substring("jdbc:".length()));
    Path bin = binaries(majorVersion());
    List<String> asOwner =
        root() ? List.of("/usr/sbin/runuser", "-u", "postgres", "--") : List.of();
    Path dir = Files.createTempDirectory("pk-replica");
    if (root()) {
      run(List.of("chown", "postgres", dir.toString()));
    }
    Path data = dir.resolve("data");
    String user = user(primary);
    List<String> backup = new ArrayList<>(asOwner);
    backup.addAll(
        List.of(
            bin.resolve("pg_basebackup").toString(),
            "-h",
            primary.getHost(),
            "-p",
            String.valueOf(primary.getPort() < 0 ? 5432 : primary.getPort()),
            "-U",
            user,
            "-D",
            data.toString(),
            "-X",
            "stream",
            "-c",
            "fast"));
    if (standby) {
      backup.add("-R"); // standby.signal and the connection to the primary
    }
    run(backup);
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    // Debian keeps postgresql.conf and pg_hba.conf outside the data directory: write small ones.
    // A hot standby needs these limits at least as high as the primary's.
    String conf =
        "listen_addresses = '127.0.0.1'\n"
            + "port = "
            + port
            + "\nunix_socket_directories = '"
            + dir
            + "'\nhot_standby = on\nshared_buffers = 32MB\n"
            + limits();
    List<String> write = new ArrayList<>(asOwner);
    write.addAll(List.of("sh", "-c", "cat > \"$0\"", data.resolve("postgresql.conf").toString()));
    runWithInput(write, conf);
    List<String> hba = new ArrayList<>(asOwner);
    hba.addAll(List.of("sh", "-c", "cat > \"$0\"", data.resolve("pg_hba.conf").toString()));
    runWithInput(hba, "local all all trust\nhost all all 127.0.0.1/32 trust\n");
    List<String> postgres = new ArrayList<>(asOwner);
    postgres.addAll(List.of(bin.resolve("postgres").toString(), "-D", data.toString()));
    Process server =
        new ProcessBuilder(postgres)
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("server.log").toFile())
            .start();
    StreamingReplica replica = new StreamingReplica(dir, port, server, asOwner, bin);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (true) {
      try (Connection connection = replica.connection();
          Statement statement = connection.createStatement();
          ResultSet row = statement.executeQuery("SELECT pg_is_in_recovery()")) {
        row.next();
        if (row.getBoolean(1) == standby) {
          return replica;
        }
      } catch (SQLException notYet) {
        if (System.nanoTime() > deadline || !server.isAlive()) {
          String log = Files.readString(dir.resolve("server.log"), StandardCharsets.UTF_8);
          replica.close();
          throw new IllegalStateException("the replica did not start:\n" + log, notYet);
        }
      }
      Thread.sleep(100);
    }
  }

  /** The JDBC URL of the replica (same database and user as the primary). */
  public String url() {
    URI primary = URI.create(TestDatabase.postgresUrl().substring("jdbc:".length()));
    return "jdbc:postgresql://127.0.0.1:" + port + primary.getPath() + "?user=" + user(primary);
  }

  /** A data source on the replica, its connections in {@code schema} when not null. */
  public DataSource dataSource(String schema) {
    PGSimpleDataSource source = new PGSimpleDataSource();
    source.setUrl(url());
    if (schema != null) {
      source.setCurrentSchema(schema);
    }
    return source;
  }

  /** A plain connection to the replica; the caller closes it. */
  public Connection connection() throws SQLException {
    return DriverManager.getConnection(url());
  }

  /** Stops the replica and removes its directory; a second call does nothing. */
  @Override
  public void close() {
    if (!Files.exists(dir)) {
      return;
    }
    try {
      List<String> stop = new ArrayList<>(asOwner);
      stop.addAll(
          List.of(
              bin.resolve("pg_ctl").toString(),
              "-D",
              dir.resolve("data").toString(),
              "-m",
              "immediate",
              "-w",
              "stop"));
      new ProcessBuilder(stop).redirectErrorStream(true).start().waitFor(30, TimeUnit.SECONDS);
      if (!server.waitFor(10, TimeUnit.SECONDS)) {
        server.destroyForcibly();
      }
      try (Stream<Path> files = Files.walk(dir)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot remove the replica directory " + dir, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static int majorVersion() throws SQLException {
    try (Connection connection = DriverManager.getConnection(TestDatabase.postgresUrl())) {
      return connection.getMetaData().getDatabaseMajorVersion();
    }
  }

  private static String limits() throws SQLException {
    StringBuilder out = new StringBuilder();
    try (Connection connection = DriverManager.getConnection(TestDatabase.postgresUrl());
        Statement statement = connection.createStatement()) {
      for (String name :
          List.of(
              "max_connections",
              "max_worker_processes",
              "max_wal_senders",
              "max_prepared_transactions",
              "max_locks_per_transaction")) {
        try (ResultSet row = statement.executeQuery("SHOW " + name)) {
          row.next();
          out.append(name).append(" = ").append(row.getString(1)).append('\n');
        }
      }
    }
    return out.toString();
  }

  private static Path binaries(int major) {
    String configured = System.getenv("PRIVACYKIT_TEST_PG_BIN");
    return configured != null && !configured.isBlank()
        ? Path.of(configured)
        : Path.of("/usr/lib/postgresql/" + major + "/bin");
  }

  private static boolean root() {
    return "root".equals(System.getProperty("user.name"));
  }

  private static String user(URI primary) {
    String query = primary.getQuery() == null ? "" : primary.getQuery();
    for (String pair : query.split("&")) {
      if (pair.startsWith("user=")) {
        return pair.substring(5);
      }
    }
    return System.getProperty("user.name");
  }

  private static void run(List<String> command) throws IOException, InterruptedException {
    runWithInput(command, null);
  }

  private static void runWithInput(List<String> command, String input)
      throws IOException, InterruptedException {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    if (input != null) {
      process.getOutputStream().write(input.getBytes(StandardCharsets.UTF_8));
    }
    process.getOutputStream().close();
    byte[] output = process.getInputStream().readAllBytes();
    if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
      throw new IllegalStateException(
          String.join(" ", command.subList(0, Math.min(command.size(), 6)))
              + " failed:\n"
              + new String(output, StandardCharsets.UTF_8));
    }
  }
}

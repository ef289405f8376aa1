package dev.privacykit.server;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The service started as a child JVM with no command and the given environment, on the test
 * classpath; its output is collected. {@link #close()} kills it if it still runs.
 */
final class ServiceProcess implements AutoCloseable {
  /** The announcement, in text or JSON logs (which may escape '/'). */
  private static final Pattern LISTENING =
      Pattern.compile("listening on http:\\\\?/\\\\?/127\\.0\\.0\\.1:(\\d+)");

  private final Process process;
  private final Thread reader;
  private final List<String> lines = new ArrayList<>();
  private final CompletableFuture<Integer> port = new CompletableFuture<>();

  private ServiceProcess(Process process) {
    this.process = process;
    this.reader = new Thread(this::read, "service-output");
    reader.start();
  }

  /**
   * Starts the service on a free port with {@code environment} on top of this JVM's (minus any
   * {@code PRIVACYKIT_} variables) and waits until it listens.
   */
  static ServiceProcess start(Map<String, String> environment) throws Exception {
    return start(environment, List.of());
  }

  /** {@link #start(Map)} with JVM options (a heap limit, say). */
  static ServiceProcess start(Map<String, String> environment, List<String> jvmOptions)
      throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> command = new ArrayList<>(List.of(java));
    command.addAll(jvmOptions);
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName()));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().keySet().removeIf(name -> name.startsWith("PRIVACYKIT_"));
    builder.environment().put("PRIVACYKIT_PORT", "0");
    builder.environment().putAll(environment);
    ServiceProcess service = new ServiceProcess(builder.start());
    try {
      service.port.get(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      service.close();
      throw new IllegalStateException("the service did not start:\n" + service.output(), e);
    }
    return service;
  }

  private void read() {
    try (BufferedReader in =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line; (line = in.readLine()) != null; ) {
        synchronized (lines) {
          lines.add(line);
        }
        Matcher m = LISTENING.matcher(line);
        if (m.find()) {
          port.complete(Integer.parseInt(m.group(1)));
        }
      }
    } catch (IOException ignored) {
      // the process ended
    }
    port.completeExceptionally(new IllegalStateException("no listening line"));
  }

  /** The port the service listens on. */
  int port() {
    return port.join();
  }

  /** Everything the process printed so far. */
  String output() {
    synchronized (lines) {
      return String.join("\n", lines);
    }
  }

  /**
   * Sends SIGTERM (through the handle: {@code Process.destroy()} would also close our end of its
   * output) and waits for the process to end and its output to be read; false if it did not end.
   */
  boolean stop() throws InterruptedException {
    process.toHandle().destroy();
    boolean ended = process.waitFor(30, TimeUnit.SECONDS);
    reader.join(5_000);
    return ended;
  }

  @Override
  public void close() {
    process.destroyForcibly();
  }
}

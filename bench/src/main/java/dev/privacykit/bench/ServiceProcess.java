package dev.privacykit.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The service jar run as its own process: how long it took to listen, and its resident memory
 * (sampled every 100 ms from {@code /proc}).
 */
final class ServiceProcess {
  private static final Pattern LISTENING = Pattern.compile("listening on http://127.0.0.1:(\\d+)");

  private final Process process;
  private final long startedNanos = System.nanoTime();
  private final CompletableFuture<Integer> port = new CompletableFuture<>();
  private volatile long listeningNanos;
  private volatile double idleRssMib;
  private volatile double peakRssMib;
  private final Thread sampler;

  private ServiceProcess(Process process) {
    this.process = process;
    Thread reader = new Thread(this::read, "service-output");
    reader.setDaemon(true);
    reader.start();
    sampler = new Thread(this::sample, "service-rss");
    sampler.setDaemon(true);
  }

  /** Starts {@code java -jar jar} with {@code environment} and waits until it listens. */
  static ServiceProcess start(Path jar, Map<String, String> environment) throws Exception {
    List<String> command = new ArrayList<>(List.of(ServiceBench.javaBinary()));
    command.addAll(jvmFlags());
    command.addAll(List.of("-jar", jar.toString()));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().keySet().removeIf(name -> name.startsWith("PRIVACYKIT_"));
    builder.environment().putAll(environment);
    ServiceProcess service = new ServiceProcess(builder.start());
    try {
      service.port.get(120, TimeUnit.SECONDS);
    } catch (Exception e) {
      service.process.destroyForcibly();
      throw new IllegalStateException("the service did not start", e);
    }
    Thread.sleep(1_000);
    service.idleRssMib = service.rssMib();
    service.sampler.start();
    return service;
  }

  /** The service JVM's flags: {@code PRIVACYKIT_BENCH_SERVICE_JVM_FLAGS}, none by default. */
  static List<String> jvmFlags() {
    String flags = System.getenv().getOrDefault("PRIVACYKIT_BENCH_SERVICE_JVM_FLAGS", "").strip();
    return flags.isEmpty() ? List.of() : List.of(flags.split("\\s+"));
  }

  private void read() {
    try (BufferedReader in =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line; (line = in.readLine()) != null; ) {
        Matcher m = LISTENING.matcher(line);
        if (m.find() && !port.isDone()) {
          listeningNanos = System.nanoTime();
          port.complete(Integer.parseInt(m.group(1)));
        }
        if (line.contains("ERROR")) {
          System.err.println("service: " + line);
        }
      }
    } catch (IOException ignored) {
      // the process ended
    }
    port.completeExceptionally(new IllegalStateException("the service ended before listening"));
  }

  private void sample() {
    while (process.isAlive()) {
      peakRssMib = Math.max(peakRssMib, rssMib());
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  int port() {
    return port.join();
  }

  /** From starting the JVM to the "listening" line. */
  long startupMillis() {
    return (listeningNanos - startedNanos) / 1_000_000;
  }

  /** Resident memory now, from {@code /proc/PID/status} (0 where there is no /proc). */
  double rssMib() {
    try {
      for (String line :
          Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
        }
      }
    } catch (IOException | RuntimeException e) {
      return 0;
    }
    return 0;
  }

  double idleRssMib() {
    return idleRssMib;
  }

  double peakRssMib() {
    return peakRssMib;
  }

  void resetPeakRss() {
    peakRssMib = rssMib();
  }

  /** SIGTERM, then waits for the graceful shutdown (kills it after 30 s). */
  void stop() throws InterruptedException {
    process.toHandle().destroy();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly();
    }
  }
}

package dev.privacykit.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs the wrk load generator (2 threads) and reads its summary. Every answer must be 2xx: a run
 * that saw others fails.
 */
final class Wrk {
  /** What one run measured. */
  record Result(double opsPerSecond, double p50Millis, double p99Millis) {}

  private Wrk() {}

  /** GETs {@code url} over {@code connections} for {@code seconds}; {@code token} may be null. */
  static Result get(String url, String token, int seconds, int connections) throws Exception {
    return run(url, token, seconds, connections, 0, null);
  }

  /**
   * Sends {@code url} requests over {@code connections} for {@code seconds}: GET when {@code
   * jsonBody} is null, else POST with that JSON body; each connection waits {@code paceMillis}
   * after each answer (0: none). {@code token} may be null.
   */
  static Result run(
      String url, String token, int seconds, int connections, int paceMillis, String jsonBody)
      throws Exception {
    List<String> command =
        new ArrayList<>(
            List.of("wrk", "-t2", "-c" + connections, "-d" + seconds + "s", "--latency"));
    StringBuilder lua = new StringBuilder();
    if (paceMillis > 0) {
      lua.append("function delay()\n  return ").append(paceMillis).append("\nend\n");
    }
    if (jsonBody != null) {
      if (jsonBody.contains("]==]")) {
        throw new IllegalArgumentException("body cannot be quoted for Lua");
      }
      lua.append("wrk.method = \"POST\"\n")
          .append("wrk.headers[\"Content-Type\"] = \"application/json\"\n")
          .append("wrk.body = [==[")
          .append(jsonBody)
          .append("]==]\n");
    }
    if (lua.length() > 0) {
      Path script = Files.createTempFile("wrk", ".lua");
      Files.writeString(script, lua, StandardCharsets.UTF_8);
      script.toFile().deleteOnExit();
      command.addAll(List.of("-s", script.toString()));
    }
    if (token != null) {
      command.addAll(List.of("-H", "Authorization: Bearer " + token));
    }
    command.add(url);
    Process process;
    try {
      process = new ProcessBuilder(command).redirectErrorStream(true).start();
    } catch (IOException e) {
      throw new IllegalStateException("wrk is needed: apt-get install wrk", e);
    }
    double ops = 0;
    double p50 = 0;
    double p99 = 0;
    String failure = null;
    try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream()))) {
      for (String line; (line = in.readLine()) != null; ) {
        String t = line.trim();
        if (t.startsWith("Requests/sec:")) {
          ops = Double.parseDouble(t.substring("Requests/sec:".length()).trim());
        } else if (t.startsWith("50%")) {
          p50 = millis(t.substring(3).trim());
        } else if (t.startsWith("99%")) {
          p99 = millis(t.substring(3).trim());
        } else if (t.contains("Non-2xx or 3xx responses")) {
          failure = t;
        }
      }
    }
    process.waitFor();
    if (failure != null) {
      throw new IllegalStateException("wrk saw failed answers from " + url + ": " + failure);
    }
    return new Result(ops, p50, p99);
  }

  private static double millis(String value) {
    if (value.endsWith("us")) {
      return Double.parseDouble(value.substring(0, value.length() - 2)) / 1000;
    }
    if (value.endsWith("ms")) {
      return Double.parseDouble(value.substring(0, value.length() - 2));
    }
    if (value.endsWith("s")) {
      return Double.parseDouble(value.substring(0, value.length() - 1)) * 1000;
    }
    return Double.parseDouble(value);
  }
}

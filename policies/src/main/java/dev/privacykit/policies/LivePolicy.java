package dev.privacykit.policies;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A policy file that can be reloaded while the application runs: {@link #reload()} loads the file
 * again and, only if it is free of problems, swaps it in atomically and reports what changed. A
 * file with problems leaves the current policy in place.
 *
 * <p>Thread-safe.
 */
public final class LivePolicy {
  private final Path file;
  private final AtomicReference<PolicySet> current;

  private LivePolicy(Path file, PolicySet initial) {
    this.file = file;
    this.current = new AtomicReference<>(initial);
  }

  /**
   * Loads {@code file}.
   *
   * @throws PolicyLoadException listing every problem in it
   */
  public static LivePolicy load(Path file) throws IOException {
    return new LivePolicy(file, PolicyLoader.load(file));
  }

  /** The policy in force. */
  public PolicySet current() {
    return current.get();
  }

  /**
   * Loads the file again and swaps it in.
   *
   * @return what changed
   * @throws PolicyLoadException if the new file has problems; the current policy stays
   */
  public synchronized PolicyDiff reload() throws IOException {
    PolicySet next = PolicyLoader.load(file);
    PolicySet previous = current.getAndSet(next);
    return PolicyDiff.between(previous, next);
  }
}

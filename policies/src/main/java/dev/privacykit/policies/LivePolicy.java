package dev.privacykit.policies;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A policy file that can be reloaded while the application runs: {@link #reload()} loads the file
 * again and, only if it is free of problems, swaps it in atomically and reports what changed. A
 * file with problems, or one that changes the text of a published notice version, leaves the
 * current policy in place.
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
    requirePublishedTextsKept(current.get(), next);
    PolicySet previous = current.getAndSet(next);
    return PolicyDiff.between(previous, next);
  }

  /**
   * A published notice text never changes: consent events hold its SHA-256 as the proof of what was
   * shown, so a changed (or removed) text of a version in force would leave that proof pointing at
   * nothing. A new text goes into a new version; adding a language to a version is allowed.
   *
   * @throws PolicyException naming the notice, version and language, with both hashes
   */
  static void requirePublishedTextsKept(PolicySet before, PolicySet after) {
    for (Notice notice : before.notices().values()) {
      for (NoticeVersion version : notice.versions()) {
        version
            .texts()
            .forEach(
                (language, text) -> {
                  String now =
                      after
                          .notice(notice.id())
                          .flatMap(n -> n.version(version.version()))
                          .flatMap(v -> v.hash(language))
                          .orElse("(removed)");
                  if (!now.equals(text.sha256())) {
                    throw new PolicyException(
                        "notice '"
                            + notice.id()
                            + "' version "
                            + version.version()
                            + " text in '"
                            + language
                            + "' changed (published "
                            + text.sha256()
                            + ", new "
                            + now
                            + "): consents hold the published text's hash, so publish the new text"
                            + " as a new version");
                  }
                });
      }
    }
  }
}

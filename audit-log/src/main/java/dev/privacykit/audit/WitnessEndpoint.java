package dev.privacykit.audit;

import java.net.URI;
import java.util.Objects;

/**
 * A witness the log publishes its checkpoints to: its submission prefix ({@code POST
 * <prefix>/add-checkpoint}) and the key its cosignatures must verify with.
 *
 * @param submissionPrefix such as {@code https://witness.example/} (http only on loopback)
 * @param key the witness's cosigner key
 */
public record WitnessEndpoint(URI submissionPrefix, CosignerKey key) {
  /** Checks the prefix. */
  public WitnessEndpoint {
    Objects.requireNonNull(key, "key");
    String scheme = submissionPrefix == null ? null : submissionPrefix.getScheme();
    boolean loopback =
        submissionPrefix != null
            && ("127.0.0.1".equals(submissionPrefix.getHost())
                || "localhost".equals(submissionPrefix.getHost())
                || "[::1]".equals(submissionPrefix.getHost()));
    if (!"https".equals(scheme) && !("http".equals(scheme) && loopback)) {
      throw new IllegalArgumentException("a witness URL is https (http only on this host)");
    }
  }

  /**
   * Parses {@code URL=VERIFIER_KEY}, as the service's {@code audit.witnesses} setting lists them.
   */
  public static WitnessEndpoint parse(String value) {
    int eq = value == null ? -1 : value.indexOf('=');
    if (eq < 0) {
      throw new IllegalArgumentException("a witness is URL=name+keyid+base64(key)");
    }
    return new WitnessEndpoint(
        URI.create(value.substring(0, eq).strip()), CosignerKey.parse(value.substring(eq + 1)));
  }

  /** The {@code add-checkpoint} URL. */
  URI addCheckpoint() {
    String base = submissionPrefix.toString();
    return URI.create(base + (base.endsWith("/") ? "" : "/") + "add-checkpoint");
  }
}

package dev.privacykit.policies;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;

/**
 * The exact text of a notice version in one language, with its SHA-256: a consent event stores the
 * hash, so evidence proves which text the person was shown.
 *
 * <p>The hash is of the text's UTF-8 bytes exactly as loaded from the policy (after YAML has read
 * the scalar: a block scalar {@code |} keeps its final line break), in lower-case hex. Anyone
 * holding the text can compute it again: {@code printf '%s' "$text" | sha256sum}.
 *
 * @param text the text, as shown
 * @param sha256 its SHA-256, 64 lower-case hex digits
 */
public record NoticeText(String text, String sha256) {
  /**
   * Checks that {@code sha256} is the hash of {@code text}: a text never carries another's hash.
   */
  public NoticeText {
    Objects.requireNonNull(text, "text");
    if (!sha256(text).equals(sha256)) {
      throw new IllegalArgumentException("sha256 is not the SHA-256 of the text");
    }
  }

  /** The text with its hash computed. */
  public static NoticeText of(String text) {
    return new NoticeText(text, sha256(Objects.requireNonNull(text, "text")));
  }

  /** The SHA-256 of a text's UTF-8 bytes, in lower-case hex. */
  public static String sha256(String text) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}

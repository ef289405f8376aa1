package dev.privacykit.policies;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The policy packs PrivacyKit ships (the files in {@code policies/examples/}): starting points to
 * copy and change, and the default policy of the standalone service in development mode.
 */
public final class PolicyPacks {
  private PolicyPacks() {}

  /** The GDPR starter pack (an online shop). */
  public static PolicySet gdpr() {
    return load("gdpr.yaml");
  }

  /** The DPDP starter pack (a consumer app in India). */
  public static PolicySet dpdp() {
    return load("dpdp.yaml");
  }

  /** The text of a pack, {@code gdpr.yaml} or {@code dpdp.yaml}. */
  public static String text(String pack) {
    try (InputStream in = PolicyPacks.class.getResourceAsStream("packs/" + pack)) {
      if (in == null) {
        throw new PolicyException("no shipped policy pack named " + pack);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static PolicySet load(String pack) {
    return PolicyLoader.parse(pack, text(pack));
  }
}

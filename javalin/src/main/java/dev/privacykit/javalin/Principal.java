package dev.privacykit.javalin;

import java.time.Instant;
import java.util.Set;

/**
 * Who a verified token speaks for.
 *
 * @param issuer the token's issuer
 * @param subject the token's {@code sub}: the user or service, and for a data principal their
 *     pseudonymous reference
 * @param tenant the tenant claim, or null when the issuer has none
 * @param scopes the scopes ({@code scope} or {@code scp})
 * @param expiresAt when the token expires
 */
public record Principal(
    String issuer, String subject, String tenant, Set<String> scopes, Instant expiresAt) {
  /** Copies the scopes. */
  public Principal {
    scopes = Set.copyOf(scopes);
  }
}

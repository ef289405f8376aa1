package dev.privacykit.javalin;

import java.time.Instant;

/**
 * How one trusted issuer's signing keys are doing, for metrics and health pages. Keys given inline
 * or from a file are always healthy; keys from a JWKS URL are healthy until a fetch fails, and
 * again after the next fetch succeeds (cached keys keep working through an outage).
 *
 * @param issuer the issuer ({@code iss})
 * @param remote whether the keys come from a JWKS URL
 * @param healthy whether the last fetch succeeded (true before the first)
 * @param failures how many fetches have failed since start
 * @param lastFetch when the last fetch ended, or null if none has
 */
public record KeySetHealth(
    String issuer, boolean remote, boolean healthy, long failures, Instant lastFetch) {}

package dev.privacykit.javalin;

import dev.privacykit.audit.AuditLog;
import dev.privacykit.audit.AuditRouter;
import dev.privacykit.policies.ConsentLookup;
import dev.privacykit.policies.DecisionEngine;
import dev.privacykit.policies.LivePolicy;
import dev.privacykit.policies.PolicySet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Settings of {@link PrivacyPlugin}, given in its {@code Consumer<PrivacyPluginConfig>}. Each
 * setter checks its value when called and names the allowed range; the plugin checks the whole when
 * the app starts. Not thread-safe: it is filled in once, before the app starts.
 */
public final class PrivacyPluginConfig {
  Consumer<TokenVerifierConfig> tokens;
  DecisionEngine decisions;
  Supplier<PolicySet> policy;
  ConsentLookup consent;
  AuditRouter audit;
  final Map<String, Set<String>> grants = new HashMap<>();
  boolean tenantRequired = true;
  boolean auditWaits;
  final Set<String> corsOrigins = new HashSet<>();
  final Set<String> trustedProxies = new HashSet<>();
  int perIpPerMinute = 1_200;
  int perPrincipalPerMinute = 60_000;
  final Map<String, Integer> perScopePerMinute = new HashMap<>();
  long maxBodyBytes = 1_048_576;

  /** Origins allowed to call from a browser, exactly as sent in {@code Origin} (no wildcards). */
  public PrivacyPluginConfig cors(String... origins) {
    for (String origin : origins) {
      if (origin == null || origin.contains("*") || !origin.matches("https?://[^/\\s]+")) {
        throw new IllegalArgumentException(
            "a CORS origin is scheme://host[:port] without wildcards, was " + origin);
      }
      corsOrigins.add(origin);
    }
    return this;
  }

  /** Peers whose X-Forwarded-For is believed (reverse proxies); no one by default. */
  public PrivacyPluginConfig trustedProxies(String... addresses) {
    trustedProxies.addAll(List.of(addresses));
    return this;
  }

  /**
   * Requests a minute per client IP for requests without a valid token (public routes, failed
   * authentication), and per authenticated principal (tenant, issuer and subject); 0 turns a limit
   * off. 1,200 and 60,000 by default: a backend's service token gets about a thousand requests a
   * second before 429.
   */
  public PrivacyPluginConfig rateLimits(int perIpPerMinute, int perPrincipalPerMinute) {
    if (perIpPerMinute < 0 || perPrincipalPerMinute < 0) {
      throw new IllegalArgumentException("rate limits must be 0 or more");
    }
    this.perIpPerMinute = perIpPerMinute;
    this.perPrincipalPerMinute = perPrincipalPerMinute;
    return this;
  }

  /**
   * Requests a minute for principals holding {@code scope} (0: no limit); a principal gets the
   * largest limit of its scopes, or the per-principal default when none is configured.
   */
  public PrivacyPluginConfig rateLimitForScope(String scope, int perMinute) {
    if (scope == null || scope.isBlank() || perMinute < 0) {
      throw new IllegalArgumentException("a scope's rate limit needs a scope and 0 or more");
    }
    perScopePerMinute.put(scope, perMinute);
    return this;
  }

  /** The largest request body (1 KiB to 64 MiB; 1 MiB by default); larger ones get 413. */
  public PrivacyPluginConfig maxBodyBytes(long bytes) {
    if (bytes < 1_024 || bytes > 64L * 1_048_576) {
      throw new IllegalArgumentException("maxBodyBytes must be 1 KiB to 64 MiB, was " + bytes);
    }
    this.maxBodyBytes = bytes;
    return this;
  }

  /** How bearer tokens are verified. Required. */
  public PrivacyPluginConfig tokens(Consumer<TokenVerifierConfig> tokens) {
    this.tokens = Objects.requireNonNull(tokens, "tokens");
    return this;
  }

  /** The policy purposes are checked against. Required when a route declares a purpose. */
  public PrivacyPluginConfig policy(PolicySet policy) {
    Objects.requireNonNull(policy, "policy");
    this.policy = () -> policy;
    return this;
  }

  /**
   * The decision engine the route guard asks, shared with the rest of the application (the
   * standalone service hands the same engine to its consent-check route, so a decision is made one
   * way). Replaces {@link #policy} and {@link #consent} for decisions.
   */
  public PrivacyPluginConfig decisions(DecisionEngine engine) {
    this.decisions = Objects.requireNonNull(engine, "engine");
    return this;
  }

  /** A reloadable policy. */
  public PrivacyPluginConfig policy(LivePolicy policy) {
    this.policy = Objects.requireNonNull(policy, "policy")::current;
    return this;
  }

  /** Where consent is looked up (the ledger's lookup, or a remote one). */
  public PrivacyPluginConfig consent(ConsentLookup consent) {
    this.consent = Objects.requireNonNull(consent, "consent");
    return this;
  }

  /** Where guarded requests, authentication failures and denials are recorded. */
  public PrivacyPluginConfig audit(AuditLog audit) {
    return audit(AuditRouter.of(audit));
  }

  /**
   * Where guarded requests, authentication failures and denials are recorded: each in the log that
   * holds its tenant's entries (such as {@link dev.privacykit.audit.AuditShards}).
   */
  public PrivacyPluginConfig audit(AuditRouter audit) {
    this.audit = Objects.requireNonNull(audit, "audit");
    return this;
  }

  /**
   * Maps a token scope to permissions. Without a mapping a scope grants the permission of the same
   * name.
   */
  public PrivacyPluginConfig grant(String scope, String... permissions) {
    grants.computeIfAbsent(scope, s -> new HashSet<>()).addAll(List.of(permissions));
    return this;
  }

  /** Accepts tokens without a tenant claim (single-tenant apps). */
  public PrivacyPluginConfig insecureAllowTokensWithoutTenant() {
    this.tenantRequired = false;
    return this;
  }

  /** Waits for each audit entry to be committed before the response completes. */
  public PrivacyPluginConfig auditWaitsForCommit() {
    this.auditWaits = true;
    return this;
  }

  /** The engine for guarded routes with purposes: the one given, or one over policy and consent. */
  DecisionEngine engine() {
    if (decisions != null) {
      return decisions;
    }
    return policy == null || consent == null ? null : new DecisionEngine(policy, consent);
  }
}

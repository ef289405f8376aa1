package dev.privacykit.javalin;

import dev.privacykit.audit.Action;
import dev.privacykit.audit.AuditEntry;
import dev.privacykit.audit.AuditLog;
import dev.privacykit.audit.Outcome;
import dev.privacykit.policies.ConsentLookup;
import dev.privacykit.policies.Decision;
import dev.privacykit.policies.DecisionEngine;
import dev.privacykit.policies.DecisionRequest;
import dev.privacykit.policies.LivePolicy;
import dev.privacykit.policies.PolicySet;
import io.javalin.config.JavalinState;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.javalin.plugin.Plugin;
import io.javalin.router.ParsedEndpoint;
import io.javalin.security.Roles;
import io.javalin.security.RouteRole;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The PrivacyKit Javalin plugin: every request to a route is authenticated (bearer JWT), checked
 * against the route's permission and, for routes that declare a purpose, against policy and the
 * data subject's consent; answered with RFC 9457 problems when refused; and recorded in the audit
 * log. Routes must declare {@link #requires} or {@link #PUBLIC}: an undeclared route stops the
 * server from starting.
 *
 * <pre>{@code
 * var app = Javalin.create(config -> {
 *   config.registerPlugin(new PrivacyPlugin(privacy -> privacy
 *       .tokens(t -> t.issuer("https://id.example.com", i -> i.jwksUrl(jwks).audience("orders-api")))
 *       .policy(policy).consent(ledger.lookup()).audit(auditLog)));
 *   config.routes.get("/orders/{id}", Orders::show, requires("orders:read").purpose("order_fulfilment").subjectFromPath("id"));
 * });
 * }</pre>
 */
public final class PrivacyPlugin extends Plugin<PrivacyPlugin.Config> {
  /** Marks a route that needs no token. */
  public static final RouteRole PUBLIC =
      new RouteRole() {
        @Override
        public String toString() {
          return "PUBLIC";
        }
      };

  private static final String PRINCIPAL = "privacykit.principal";
  private static final String DECISION = "privacykit.decision";
  private static final String SUBJECT = "privacykit.subject";

  /** Set once a denial has its own audit entry, so the request is not recorded twice. */
  private static final String AUDITED = "privacykit.audited";

  private volatile TokenVerifier verifier;
  private Hygiene hygiene;
  private DecisionEngine engine;
  private final Bucket failureBudget = new Bucket(100, 20);

  /** A plugin configured by {@code configure}; checked when the app is created. */
  public PrivacyPlugin(Consumer<Config> configure) {
    super(configure, new Config());
  }

  /** A route requirement: the permission the caller's scopes must grant. */
  public static Requirement requires(String permission) {
    return Requirement.of(permission);
  }

  /**
   * How each trusted issuer's signing keys are doing (JWKS fetches), for metrics; empty until the
   * app is created.
   */
  public List<KeySetHealth> keysHealth() {
    TokenVerifier current = verifier;
    return current == null ? List.of() : current.keysHealth();
  }

  /**
   * Names the data subject whose data this guarded request touches, for its audit entry, where the
   * route's requirement does not name one (a subject in the path of a route without a purpose, or
   * in the body). A blank or over-long value is ignored.
   */
  public static void auditSubject(Context ctx, String subject) {
    if (subject != null && !subject.isBlank() && subject.length() <= 256) {
      ctx.attribute(SUBJECT, subject);
    }
  }

  /** The authenticated principal of a guarded request. */
  public static Principal principal(Context ctx) {
    Principal principal = ctx.attribute(PRINCIPAL);
    if (principal == null) {
      throw new IllegalStateException(
          "no principal: the route is public or the plugin is not installed");
    }
    return principal;
  }

  /** Settings of the plugin. */
  public static final class Config {
    Consumer<TokenVerifierConfig> tokens;
    Supplier<PolicySet> policy;
    ConsentLookup consent;
    AuditLog audit;
    final Map<String, Set<String>> grants = new HashMap<>();
    boolean tenantRequired = true;
    boolean auditWaits;
    final Set<String> corsOrigins = new HashSet<>();
    final Set<String> trustedProxies = new HashSet<>();
    int perIpPerMinute = 1_200;
    int perPrincipalPerMinute = 2_400;
    long maxBodyBytes = 1_048_576;

    /** Origins allowed to call from a browser, exactly as sent in {@code Origin} (no wildcards). */
    public Config cors(String... origins) {
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
    public Config trustedProxies(String... addresses) {
      trustedProxies.addAll(List.of(addresses));
      return this;
    }

    /**
     * Requests a minute per client IP and per principal (0 turns a limit off); 1,200 and 2,400 by
     * default.
     */
    public Config rateLimits(int perIpPerMinute, int perPrincipalPerMinute) {
      if (perIpPerMinute < 0 || perPrincipalPerMinute < 0) {
        throw new IllegalArgumentException("rate limits must be 0 or more");
      }
      this.perIpPerMinute = perIpPerMinute;
      this.perPrincipalPerMinute = perPrincipalPerMinute;
      return this;
    }

    /** The largest request body (1 KiB to 64 MiB; 1 MiB by default); larger ones get 413. */
    public Config maxBodyBytes(long bytes) {
      if (bytes < 1_024 || bytes > 64L * 1_048_576) {
        throw new IllegalArgumentException("maxBodyBytes must be 1 KiB to 64 MiB, was " + bytes);
      }
      this.maxBodyBytes = bytes;
      return this;
    }

    /** How bearer tokens are verified. Required. */
    public Config tokens(Consumer<TokenVerifierConfig> tokens) {
      this.tokens = Objects.requireNonNull(tokens, "tokens");
      return this;
    }

    /** The policy purposes are checked against. Required when a route declares a purpose. */
    public Config policy(PolicySet policy) {
      Objects.requireNonNull(policy, "policy");
      this.policy = () -> policy;
      return this;
    }

    /** A reloadable policy. */
    public Config policy(LivePolicy policy) {
      this.policy = Objects.requireNonNull(policy, "policy")::current;
      return this;
    }

    /** Where consent is looked up (the ledger's lookup, or a remote one). */
    public Config consent(ConsentLookup consent) {
      this.consent = Objects.requireNonNull(consent, "consent");
      return this;
    }

    /** Where guarded requests, authentication failures and denials are recorded. */
    public Config audit(AuditLog audit) {
      this.audit = Objects.requireNonNull(audit, "audit");
      return this;
    }

    /**
     * Maps a token scope to permissions. Without a mapping a scope grants the permission of the
     * same name.
     */
    public Config grant(String scope, String... permissions) {
      grants.computeIfAbsent(scope, s -> new HashSet<>()).addAll(List.of(permissions));
      return this;
    }

    /** Accepts tokens without a tenant claim (single-tenant apps). */
    public Config insecureAllowTokensWithoutTenant() {
      this.tenantRequired = false;
      return this;
    }

    /** Waits for each audit entry to be committed before the response completes. */
    public Config auditWaitsForCommit() {
      this.auditWaits = true;
      return this;
    }
  }

  @Override
  public void onInitialize(JavalinState state) {
    if (pluginConfig.tokens == null) {
      throw new IllegalStateException("PrivacyPlugin needs tokens(...)");
    }
    verifier = TokenVerifier.create(pluginConfig.tokens);
    if (pluginConfig.policy != null && pluginConfig.consent != null) {
      engine = new DecisionEngine(pluginConfig.policy, pluginConfig.consent);
    }
    hygiene =
        new Hygiene(
            pluginConfig.corsOrigins,
            pluginConfig.trustedProxies,
            pluginConfig.perIpPerMinute,
            pluginConfig.perPrincipalPerMinute);
    state.http.maxRequestSize = pluginConfig.maxBodyBytes;
    state.routes.before(this::headers);
    state.routes.beforeMatched(this::guard);
    state.routes.afterMatched(this::record);
    state.routes.exception(ProblemException.class, (e, ctx) -> Problems.write(ctx, e));
    state.routes.exception(
        io.javalin.http.HttpResponseException.class,
        (e, ctx) ->
            Problems.write(
                ctx,
                new ProblemException(
                    e.getStatus(),
                    "http-" + e.getStatus(),
                    "Request refused",
                    "the request was refused (HTTP " + e.getStatus() + ")")));
    state.routes.exception(
        Exception.class,
        (e, ctx) ->
            Problems.write(
                ctx,
                new ProblemException(
                    500,
                    "internal",
                    "Internal error",
                    "the request failed; quote the correlation id to the operator")));
    state.events.serverStarting(() -> checkRoutes(state));
  }

  private void checkRoutes(JavalinState state) {
    List<String> undeclared = new ArrayList<>();
    boolean purposes = false;
    for (ParsedEndpoint parsed : state.internalRouter.allHttpHandlers()) {
      HandlerType method = parsed.endpoint.method;
      if (!method.isHttpMethod()) {
        continue;
      }
      Roles roles = parsed.endpoint.metadata(Roles.class);
      Set<RouteRole> declared = roles == null ? Set.of() : roles.getRoles();
      if (declared.stream().noneMatch(r -> r == PUBLIC || r instanceof Requirement)) {
        undeclared.add(method + " " + parsed.endpoint.path);
      }
      purposes |=
          declared.stream().anyMatch(r -> r instanceof Requirement q && q.purpose() != null);
    }
    if (!undeclared.isEmpty()) {
      throw new IllegalStateException(
          "routes without requires(...) or PUBLIC (deny by default): "
              + String.join(", ", undeclared));
    }
    if (purposes && (pluginConfig.policy == null || pluginConfig.consent == null)) {
      throw new IllegalStateException(
          "routes declare purposes, so PrivacyPlugin needs policy(...) and consent(...)");
    }
  }

  private void headers(Context ctx) {
    Problems.correlationId(ctx);
    if (hygiene.cors(ctx)) {
      ctx.skipRemainingHandlers();
      return;
    }
    ctx.header("X-Content-Type-Options", "nosniff");
    ctx.header("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'");
    ctx.header("Referrer-Policy", "no-referrer");
    if ("https".equalsIgnoreCase(ctx.scheme())) {
      ctx.header("Strict-Transport-Security", "max-age=31536000; includeSubDomains");
    }
    hygiene.limitIp(ctx);
  }

  private void guard(Context ctx) {
    Hygiene.requireJson(ctx);
    Set<RouteRole> roles = ctx.routeRoles();
    if (roles.contains(PUBLIC)) {
      return;
    }
    Requirement requirement =
        requirement(roles)
            .orElseThrow(
                () ->
                    new ProblemException(
                        403, "forbidden", "Forbidden", "this route declares no requirement"));
    ctx.header("Cache-Control", "no-store");
    Principal principal = authenticate(ctx);
    hygiene.limitPrincipal(principal);
    ctx.attribute(PRINCIPAL, principal);
    Set<String> granted = new HashSet<>();
    for (String scope : principal.scopes()) {
      granted.addAll(pluginConfig.grants.getOrDefault(scope, Set.of(scope)));
    }
    if (!granted.contains(requirement.permission())) {
      auditDenied(ctx, principal, null, requirement);
      throw new ProblemException(
          403,
          "insufficient-scope",
          "Insufficient scope",
          "the token does not grant " + requirement.permission(),
          "Bearer error=\"insufficient_scope\", scope=\"" + requirement.permission() + "\"");
    }
    if (requirement.purpose() == null) {
      return;
    }
    String subject = subject(ctx, principal, requirement);
    ctx.attribute(SUBJECT, subject);
    boolean gpc = "1".equals(ctx.header("Sec-GPC"));
    Decision decision =
        engine.decide(
            new DecisionRequest(
                tenant(principal),
                subject,
                requirement.purpose(),
                Set.copyOf(requirement.categories()),
                actorRoles(principal, granted),
                gpc,
                Instant.now()));
    ctx.attribute(DECISION, decision);
    if (!decision.allowed()) {
      auditDenied(ctx, principal, subject, requirement);
      throw new ProblemException(
          403,
          "processing-denied/"
              + decision.reason().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'),
          "Processing not allowed",
          decision.detail());
    }
  }

  /**
   * The actor's roles for the policy's {@code actors}: its scopes and the permissions they grant.
   */
  private static Set<String> actorRoles(Principal principal, Set<String> granted) {
    Set<String> roles = new HashSet<>(principal.scopes());
    roles.addAll(granted);
    return roles;
  }

  private Principal authenticate(Context ctx) {
    String header = ctx.header("Authorization");
    if (header == null || header.isBlank()) {
      auditAuthFailure(ctx);
      throw new ProblemException(
          401,
          "unauthorized",
          "Unauthorized",
          "a bearer token is required",
          "Bearer realm=\"privacykit\"");
    }
    if (header.length() < 8 || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      auditAuthFailure(ctx);
      throw invalidToken("the Authorization header must be 'Bearer <token>'");
    }
    Principal principal;
    try {
      principal = verifier.verify(header.substring(7).trim());
    } catch (TokenRejectedException e) {
      auditAuthFailure(ctx);
      throw invalidToken(e.getMessage());
    }
    if (pluginConfig.tenantRequired && principal.tenant() == null) {
      auditAuthFailure(ctx);
      throw invalidToken("token has no tenant");
    }
    return principal;
  }

  private static ProblemException invalidToken(String reason) {
    return new ProblemException(
        401,
        "invalid-token",
        "Invalid token",
        reason,
        "Bearer error=\"invalid_token\", error_description=\"" + reason.replace("\"", "'") + "\"");
  }

  private static String subject(Context ctx, Principal principal, Requirement requirement) {
    String subject =
        switch (requirement.subjectSource()) {
          case PATH -> ctx.pathParamMap().get(requirement.subjectName());
          case HEADER -> ctx.header(requirement.subjectName());
          case TOKEN_SUBJECT, NONE -> principal.subject();
        };
    if (subject == null || subject.isBlank() || subject.length() > 256) {
      throw new ProblemException(
          400,
          "missing-subject",
          "Missing data subject",
          "the request does not name the data subject this route needs");
    }
    return subject;
  }

  private void record(Context ctx) {
    Principal principal = ctx.attribute(PRINCIPAL);
    Set<RouteRole> roles = ctx.routeRoles();
    if (pluginConfig.audit == null
        || principal == null
        || roles.contains(PUBLIC)
        || ctx.attribute(AUDITED) != null) {
      return;
    }
    Requirement requirement = requirement(roles).orElse(null);
    Decision decision = ctx.attribute(DECISION);
    int status = ctx.statusCode();
    Action action =
        ctx.method() == HandlerType.GET || ctx.method() == HandlerType.HEAD
            ? Action.READ
            : Action.WRITE;
    AuditEntry entry =
        AuditEntry.builder(tenant(principal), principal.subject(), action)
            .subject(ctx.attribute(SUBJECT))
            .purpose(requirement == null ? null : requirement.purpose())
            .legalBasis(
                decision == null || decision.basis() == null ? null : decision.basis().code())
            .categories(requirement == null ? List.of() : requirement.categories())
            .requestId(Problems.correlationId(ctx))
            .outcome(
                status < 400 ? Outcome.SUCCESS : status < 500 ? Outcome.DENIED : Outcome.FAILURE)
            .build();
    append(entry);
  }

  private void auditDenied(
      Context ctx, Principal principal, String subject, Requirement requirement) {
    if (pluginConfig.audit == null) {
      return;
    }
    ctx.attribute(AUDITED, Boolean.TRUE);
    append(
        AuditEntry.builder(tenant(principal), principal.subject(), Action.ACCESS_DENIED)
            .subject(subject)
            .purpose(requirement.purpose())
            .requestId(Problems.correlationId(ctx))
            .outcome(Outcome.DENIED)
            .categories(requirement.categories())
            .build());
  }

  /** Appends to the audit log, waiting for the commit when the app asked for that. */
  private void append(AuditEntry entry) {
    var appended = pluginConfig.audit.append(entry);
    if (pluginConfig.auditWaits) {
      appended.join();
    }
  }

  /** The route's requirement among its roles, if it declares one. */
  private static Optional<Requirement> requirement(Set<RouteRole> roles) {
    return roles.stream()
        .filter(Requirement.class::isInstance)
        .map(Requirement.class::cast)
        .findFirst();
  }

  /** The principal's tenant, or {@code _} for a token without one (when the app allows that). */
  private static String tenant(Principal principal) {
    return principal.tenant() == null ? "_" : principal.tenant();
  }

  /**
   * Authentication failures are audited through a token bucket (bursts of 100, then 20 a second),
   * so a flood of bad tokens cannot flood the log.
   */
  private void auditAuthFailure(Context ctx) {
    if (pluginConfig.audit == null || !failureBudget.tryTake()) {
      return;
    }
    pluginConfig.audit.append(
        AuditEntry.builder("_", "anonymous", Action.AUTH_FAILED)
            .requestId(Problems.correlationId(ctx))
            .outcome(Outcome.DENIED)
            .build());
  }

  /** A token bucket: {@code capacity} tokens, refilled at {@code perSecond}. */
  static final class Bucket {
    private final double capacity;
    private final double perNano;
    private double tokens;
    private long last = System.nanoTime();

    Bucket(double capacity, double perSecond) {
      this.capacity = capacity;
      this.perNano = perSecond / 1e9;
      this.tokens = capacity;
    }

    synchronized boolean tryTake() {
      long now = System.nanoTime();
      tokens = Math.min(capacity, tokens + (now - last) * perNano);
      last = now;
      if (tokens < 1) {
        return false;
      }
      tokens -= 1;
      return true;
    }
  }
}

package dev.privacykit.javalin;

import dev.privacykit.policies.Decision;
import dev.privacykit.policies.DecisionEngine;
import dev.privacykit.policies.DecisionRequest;
import io.javalin.http.Context;
import io.javalin.security.RouteRole;
import java.time.Instant;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The check in front of every guarded route: authenticate, rate-limit the principal, establish the
 * {@link Caller}, check the route's permission against the token's scopes (mapped through the app's
 * grants), and for a route with a purpose ask the {@link DecisionEngine}. A refusal is a {@link
 * ProblemException} and an audited denial. Thread-safe.
 */
final class RouteGuard {
  static final String CALLER = "privacykit.caller";
  static final String DECISION = "privacykit.decision";
  static final String SUBJECT = "privacykit.subject";
  static final String ACTOR_ROLE = "privacykit.actor_role";

  private final Authentication authentication;
  private final Hygiene hygiene;
  private final Map<String, Set<String>> grants;
  private final boolean tenantRequired;
  private final DecisionEngine engine;
  private final AuditRecorder recorder;
  private final java.util.function.Function<Context, Set<RouteRole>> roles;

  RouteGuard(
      Authentication authentication,
      Hygiene hygiene,
      Map<String, Set<String>> grants,
      boolean tenantRequired,
      DecisionEngine engine,
      AuditRecorder recorder,
      java.util.function.Function<Context, Set<RouteRole>> roles) {
    this.authentication = authentication;
    this.hygiene = hygiene;
    this.grants = Map.copyOf(grants);
    this.tenantRequired = tenantRequired;
    this.engine = engine;
    this.recorder = recorder;
    this.roles = roles;
  }

  /** The roles of the route the request matched (a HEAD request: its GET route's). */
  Set<RouteRole> rolesOf(Context ctx) {
    return roles.apply(ctx);
  }

  /** Runs before each matched route. */
  void check(Context ctx) {
    Hygiene.requireJson(ctx);
    Set<RouteRole> roles = rolesOf(ctx);
    if (roles.contains(PrivacyPlugin.PUBLIC)) {
      if (ctx.header("Authorization") != null) {
        // A public route reads no token: it is limited per address, whatever header it carries.
        hygiene.limitIp(ctx);
      }
      return;
    }
    Requirement requirement =
        requirement(roles)
            .orElseThrow(
                () ->
                    new ProblemException(
                        403, "forbidden", "Forbidden", "this route declares no requirement"));
    ctx.header("Cache-Control", "no-store");
    Principal principal = authentication.authenticate(ctx);
    hygiene.limitPrincipal(principal);
    Set<String> permissions = permissions(principal);
    Caller caller = caller(ctx, principal, permissions);
    ctx.attribute(CALLER, caller);
    recorder.reserve(ctx, caller); // 503 now rather than an access left unrecorded
    if (!permissions.contains(requirement.permission())) {
      recorder.denied(ctx, caller, null, requirement);
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
    Decision decision =
        engine.decide(
            new DecisionRequest(
                caller.tenant(),
                subject,
                requirement.purpose(),
                Set.copyOf(requirement.categories()),
                caller.actorRoles(),
                caller.gpc(),
                Instant.now()));
    ctx.attribute(DECISION, decision);
    if (!decision.allowed()) {
      recorder.denied(ctx, caller, subject, requirement);
      throw new ProblemException(
          403,
          "processing-denied/"
              + decision.reason().name().toLowerCase(Locale.ROOT).replace('_', '-'),
          "Processing not allowed",
          decision.detail());
    }
  }

  /**
   * The caller's facts, computed in one place: the tenant (or {@code _} when the app allows tokens
   * without one), the token's scopes plus the permissions they grant, and the GPC signal.
   */
  private Caller caller(Context ctx, Principal principal, Set<String> permissions) {
    Set<String> actorRoles = new HashSet<>(principal.scopes());
    actorRoles.addAll(permissions);
    String tenant = principal.tenant() == null && !tenantRequired ? "_" : principal.tenant();
    return new Caller(principal, tenant, actorRoles, "1".equals(ctx.header("Sec-GPC")));
  }

  /** The permissions the token's scopes grant: the app's mapping, or the scope's own name. */
  private Set<String> permissions(Principal principal) {
    Set<String> permissions = new HashSet<>();
    for (String scope : principal.scopes()) {
      permissions.addAll(grants.getOrDefault(scope, Set.of(scope)));
    }
    return permissions;
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

  /** The route's requirement among its roles, if it declares one. */
  static Optional<Requirement> requirement(Set<RouteRole> roles) {
    return roles.stream()
        .filter(Requirement.class::isInstance)
        .map(Requirement.class::cast)
        .findFirst();
  }
}

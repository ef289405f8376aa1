package dev.privacykit.javalin;

import io.javalin.config.JavalinState;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.javalin.plugin.Plugin;
import io.javalin.router.ParsedEndpoint;
import io.javalin.security.Roles;
import io.javalin.security.RouteRole;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

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
public final class PrivacyPlugin extends Plugin<PrivacyPluginConfig> {
  /** Marks a route that needs no token. */
  public static final RouteRole PUBLIC =
      new RouteRole() {
        @Override
        public String toString() {
          return "PUBLIC";
        }
      };

  private volatile TokenVerifier verifier;
  private volatile Hygiene hygiene;
  private RouteGuard guard;
  private AuditRecorder recorder;

  /** A plugin configured by {@code configure}; checked when the app is created. */
  public PrivacyPlugin(Consumer<PrivacyPluginConfig> configure) {
    super(configure, new PrivacyPluginConfig());
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

  /** Requests the rate limits refused (429) since start: a counter for metrics. */
  public long rateLimitRefusals() {
    Hygiene current = hygiene;
    return current == null ? 0 : current.refusals();
  }

  /**
   * Names the data subject whose data this guarded request touches, for its audit entry, where the
   * route's requirement does not name one (a subject in the path of a route without a purpose, or
   * in the body). A blank or over-long value is ignored.
   */
  public static void auditSubject(Context ctx, String subject) {
    if (subject != null && !subject.isBlank() && subject.length() <= 256) {
      ctx.attribute(RouteGuard.SUBJECT, subject);
    }
  }

  /**
   * Names the actor role this guarded request acted under, for its audit entry (such as roles a
   * backend asserted for its user). Over-long values are cut at 128 characters.
   */
  public static void auditActorRole(Context ctx, String role) {
    if (role != null && !role.isBlank()) {
      ctx.attribute(RouteGuard.ACTOR_ROLE, role.length() > 128 ? role.substring(0, 128) : role);
    }
  }

  /** The authenticated principal of a guarded request. */
  public static Principal principal(Context ctx) {
    return caller(ctx).principal();
  }

  /**
   * Who is calling this guarded request: principal, tenant, actor roles and GPC signal, as the
   * route guard established them.
   *
   * @throws IllegalStateException on a public route or without the plugin
   */
  public static Caller caller(Context ctx) {
    Caller caller = ctx.attribute(RouteGuard.CALLER);
    if (caller == null) {
      throw new IllegalStateException(
          "no principal: the route is public or the plugin is not installed");
    }
    return caller;
  }

  @Override
  public void onInitialize(JavalinState state) {
    if (pluginConfig.tokens == null) {
      throw new IllegalStateException("PrivacyPlugin needs tokens(...)");
    }
    verifier = TokenVerifier.create(pluginConfig.tokens);
    hygiene =
        new Hygiene(
            pluginConfig.corsOrigins,
            pluginConfig.trustedProxies,
            pluginConfig.perIpPerMinute,
            pluginConfig.perPrincipalPerMinute,
            pluginConfig.perScopePerMinute);
    recorder = new AuditRecorder(pluginConfig.audit, pluginConfig.auditWaits);
    guard =
        new RouteGuard(
            new Authentication(verifier, pluginConfig.tenantRequired, recorder, hygiene),
            hygiene,
            pluginConfig.grants,
            pluginConfig.tenantRequired,
            pluginConfig.engine(),
            recorder,
            ctx -> roles(state, ctx));
    state.http.maxRequestSize = pluginConfig.maxBodyBytes;
    // Errors the HTTP server answers before routing are problems too, not HTML pages.
    state.jetty.modifyServer(server -> server.setErrorHandler(new ProblemErrorHandler()));
    state.jetty.modifyServletContextHandler(
        handler -> handler.setErrorHandler(new ProblemErrorHandler()));
    // A known path with another method is 405 with Allow (OPTIONS outside a CORS preflight too).
    state.http.prefer405over404 = true;
    state.routes.before(hygiene::before);
    state.routes.beforeMatched(guard::check);
    state.routes.afterMatched(this::record);
    state.routes.after(ctx -> recorder.release(ctx));
    Problems.install(state);
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
    if (purposes && pluginConfig.engine() == null) {
      throw new IllegalStateException(
          "routes declare purposes, so PrivacyPlugin needs policy(...) and consent(...), or"
              + " decisions(...)");
    }
  }

  /**
   * The roles of the route a request matched. A HEAD request is answered by the GET route of its
   * path, so it is guarded by that route's requirement.
   */
  private static Set<RouteRole> roles(JavalinState state, Context ctx) {
    Set<RouteRole> roles = ctx.routeRoles();
    if (roles.isEmpty() && ctx.method() == HandlerType.HEAD) {
      ParsedEndpoint get =
          state.internalRouter.findFirstHttpHandlerEntry(HandlerType.GET, ctx.path());
      Roles declared = get == null ? null : get.endpoint.metadata(Roles.class);
      if (declared != null) {
        return declared.getRoles();
      }
    }
    return roles;
  }

  private void record(Context ctx) {
    Caller caller = ctx.attribute(RouteGuard.CALLER);
    Set<RouteRole> roles = guard.rolesOf(ctx);
    if (caller == null || roles.contains(PUBLIC)) {
      return;
    }
    recorder.completed(
        ctx, caller, RouteGuard.requirement(roles).orElse(null), ctx.attribute(RouteGuard.SUBJECT));
  }
}

package dev.privacykit.javalin;

import java.util.Set;

/**
 * Who is calling a guarded route, as the plugin established it once per request: the verified
 * principal, the tenant it acts in, the roles a policy's {@code actors} are matched against (the
 * token's scopes and the permissions they grant), and whether the request carried a Global Privacy
 * Control signal ({@code Sec-GPC: 1}). The route guard and the application's handlers read the same
 * value through {@link PrivacyPlugin#caller}, so these facts are computed one way.
 *
 * @param principal the verified token's principal
 * @param tenant the tenant (the token's, or {@code _} for a single-tenant app without tenants)
 * @param actorRoles the token's scopes and the permissions they grant
 * @param gpc whether the request carried {@code Sec-GPC: 1}
 */
public record Caller(Principal principal, String tenant, Set<String> actorRoles, boolean gpc) {
  /** Copies the roles. */
  public Caller {
    actorRoles = Set.copyOf(actorRoles);
  }
}

package dev.privacykit.policies;

import java.time.Instant;
import java.util.Objects;
import java.util.Set;

/**
 * The question the engine answers: may {@code actor} process these data categories of {@code
 * subject} in {@code tenant} for {@code purpose} at {@code at}?
 *
 * @param tenant the tenant
 * @param subject the data subject's pseudonymous reference
 * @param purpose the purpose id
 * @param categories the data categories asked for; empty means the purpose's own
 * @param actorRoles the actor's roles or scopes
 * @param gpc whether the request carried a Global Privacy Control signal ({@code Sec-GPC: 1})
 * @param at when
 */
public record DecisionRequest(
    String tenant,
    String subject,
    String purpose,
    Set<String> categories,
    Set<String> actorRoles,
    boolean gpc,
    Instant at) {

  /** Checks and copies. */
  public DecisionRequest {
    Objects.requireNonNull(tenant, "tenant");
    Objects.requireNonNull(subject, "subject");
    Objects.requireNonNull(purpose, "purpose");
    Objects.requireNonNull(at, "at");
    categories = Set.copyOf(categories);
    actorRoles = Set.copyOf(actorRoles);
  }

  /** A request for the purpose's own categories, by an actor with {@code roles}, now, no GPC. */
  public static DecisionRequest of(
      String tenant, String subject, String purpose, Set<String> roles) {
    return new DecisionRequest(tenant, subject, purpose, Set.of(), roles, false, Instant.now());
  }

  /** This request for these categories. */
  public DecisionRequest withCategories(Set<String> categories) {
    return new DecisionRequest(tenant, subject, purpose, categories, actorRoles, gpc, at);
  }

  /** This request with a GPC signal. */
  public DecisionRequest withGpc(boolean gpc) {
    return new DecisionRequest(tenant, subject, purpose, categories, actorRoles, gpc, at);
  }

  /** This request at another time. */
  public DecisionRequest at(Instant at) {
    return new DecisionRequest(tenant, subject, purpose, categories, actorRoles, gpc, at);
  }
}

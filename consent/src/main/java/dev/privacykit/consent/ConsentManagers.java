package dev.privacykit.consent;

import dev.privacykit.policies.ConsentState;
import dev.privacykit.policies.PolicySet;
import dev.privacykit.storage.Database;
import dev.privacykit.storage.spi.Jdbis;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;
import org.jdbi.v3.core.Jdbi;

/**
 * Consent Managers (DPDP Act s.2(g), s.6(7)-(9); Rules 2025 rule 4 and First Schedule): the
 * registry of the managers a tenant accepts, the artefacts they sign, and the changes sent back to
 * them.
 *
 * <ul>
 *   <li><b>Registry</b>: the policy's {@code consent_managers} (every tenant) and those a tenant
 *       registers here; public keys only; rotation replaces the key set; suspend, resume, remove.
 *       An API registration cannot take the id of a policy one.
 *   <li><b>Artefacts in</b>: {@link #submit} verifies a compact JWS signed by the manager ({@link
 *       ArtefactVerifier}), checks every purpose with the policy before anything is stored, keeps
 *       the artefact and its SHA-256, and records each purpose in the ledger (method {@code
 *       CONSENT_MANAGER}), idempotently: a submission that failed half-way completes when retried,
 *       while another artefact with a used {@code jti} is a replay and is refused.
 *   <li><b>Changes out</b>: a change made directly with the fiduciary for a principal who acted
 *       through a manager is queued for it in the change's transaction, sent to its webhook if one
 *       stands for it, and can be pulled ({@link #changes}).
 * </ul>
 *
 * <p>Thread-safe.
 */
public final class ConsentManagers {
  /** The most changes one pull returns. */
  public static final int MAX_PULL = 500;

  private final Jdbi jdbi;
  private final ConsentManagersConfig config;
  private final ManagerRegistry registry;
  private final ArtefactStore artefacts;

  private ConsentManagers(Database database, ConsentManagersConfig config) {
    this.jdbi = Jdbis.of(database);
    this.config = config;
    this.registry = new ManagerRegistry(jdbi, config.policy);
    this.artefacts = new ArtefactStore(jdbi);
  }

  /**
   * Opens the Consent Managers on a migrated database.
   *
   * @throws IllegalArgumentException without a ledger or a policy, or when a policy manager's keys
   *     are unusable
   */
  public static ConsentManagers open(Database database, Consumer<ConsentManagersConfig> configure) {
    ConsentManagersConfig config = new ConsentManagersConfig();
    configure.accept(config);
    if (config.ledger == null || config.policy == null) {
      throw new IllegalArgumentException("Consent Managers need a ledger and a policy");
    }
    for (var entry : config.policy.get().consentManagers()) {
      try {
        ManagerRegistry.checkedJwks(entry.jwks());
      } catch (ConsentException e) {
        throw new IllegalArgumentException(
            "consent manager '" + entry.id() + "' of the policy: " + e.getMessage(), e);
      }
    }
    return new ConsentManagers(database, config);
  }

  /**
   * Registers a Consent Manager for a tenant.
   *
   * @param webhookId a webhook of the tenant subscribed to {@code consent_manager.change} only, to
   *     send it changes; or null (it pulls them)
   * @throws ConsentException {@code invalid-field} for a bad field or a key set with private parts;
   *     {@code conflict} when the id is the policy's or already used by the tenant
   */
  public ConsentManager register(
      String tenant,
      String id,
      String registrationNumber,
      String name,
      String jwks,
      String webhookId) {
    return registry.register(tenant, id, registrationNumber, name, jwks, webhookId, now());
  }

  /** Replaces a tenant's manager's key set (key rotation). */
  public ConsentManager replaceKeys(String tenant, String id, String jwks) {
    return registry.replaceKeys(tenant, id, jwks, now());
  }

  /** Suspends a tenant's manager: its artefacts are refused and nothing is sent to it. */
  public ConsentManager suspend(String tenant, String id) {
    return registry.status(tenant, id, ConsentManager.Status.SUSPENDED, now());
  }

  /** Resumes a suspended manager. */
  public ConsentManager resume(String tenant, String id) {
    return registry.status(tenant, id, ConsentManager.Status.ACTIVE, now());
  }

  /** Removes a tenant's manager for good; its evidence stays. */
  public ConsentManager remove(String tenant, String id) {
    return registry.status(tenant, id, ConsentManager.Status.REMOVED, now());
  }

  /** The managers a tenant accepts or has suspended: the policy's first. */
  public List<ConsentManager> list(String tenant) {
    return registry.list(tenant);
  }

  /** A manager of the tenant (not removed). */
  public Optional<ConsentManager> get(String tenant, String id) {
    return registry.find(tenant, id).filter(m -> m.status() != ConsentManager.Status.REMOVED);
  }

  /**
   * What {@link #submit} did.
   *
   * @param artefact the stored artefact
   * @param events the consent events, one per purpose, in the artefact's order
   */
  public record Applied(ManagerArtefact artefact, List<ConsentEvent> events) {}

  /**
   * Verifies a Consent Manager's artefact and records it. Nothing is stored when it is refused.
   *
   * @throws ConsentException {@code not-found} for a manager the tenant does not accept; {@code
   *     consent-manager-suspended}; {@code invalid-artefact} (signature, key, algorithm, audience,
   *     times, claims); {@code unknown-purpose} and the ledger's other policy refusals; {@code
   *     artefact-replayed}; {@code too-large}
   */
  public Applied submit(String tenant, String managerId, String compactJws) {
    ConsentManager manager = get(tenant, managerId).orElseThrow(ManagerRegistry::notFound);
    requireActive(manager);
    Instant now = now();
    ArtefactVerifier.Claims claims =
        ArtefactVerifier.verify(compactJws, manager, tenant, now, config.maxAge);
    Optional<ManagerArtefact> earlier = artefacts.byJti(tenant, managerId, claims.jti());
    if (earlier.isPresent()
        && (earlier.get().applied() || !earlier.get().sha256().equals(claims.sha256()))) {
      throw ArtefactStore.replayed();
    }
    String id = earlier.map(ManagerArtefact::id).orElse(UUID.randomUUID().toString());
    List<ConsentChange> changes = changes(tenant, managerId, id, claims);
    check(changes, ManagerChanges.state(claims.action()));
    if (earlier.isEmpty()) {
      artefacts.insert(id, tenant, managerId, claims, compactJws.strip(), now);
    }
    List<ConsentEvent> events = new ArrayList<>();
    for (ConsentChange change : changes) {
      events.add(record(change, claims.action()));
    }
    artefacts.applied(id);
    return new Applied(artefacts.byJti(tenant, managerId, claims.jti()).orElseThrow(), events);
  }

  private static void requireActive(ConsentManager manager) {
    if (manager.status() != ConsentManager.Status.ACTIVE) {
      throw new ConsentException(
          ConsentException.Kind.CONSENT_MANAGER_SUSPENDED,
          "this Consent Manager is suspended: nothing is accepted from it or sent to it");
    }
  }

  /** One change per purpose, with the artefact as provenance and a key derived from its jti. */
  private static List<ConsentChange> changes(
      String tenant, String manager, String artefact, ArtefactVerifier.Claims claims) {
    List<ConsentChange> out = new ArrayList<>();
    for (String purpose : claims.purposes()) {
      out.add(
          new ConsentChange(
              tenant,
              claims.subject(),
              purpose,
              claims.notice(),
              claims.language(),
              ConsentMethod.CONSENT_MANAGER,
              new Evidence(claims.issuedAt(), "consent-manager", null, null, null),
              ActingParty.SELF,
              ManagerChanges.key(manager, claims.jti(), purpose),
              new Provenance(claims.noticeHash(), null, null, manager, artefact)));
    }
    return out;
  }

  /**
   * Every purpose passes the policy (and a renewal has something to renew, and a ward's consent
   * comes from her guardian) before any is stored.
   */
  private void check(List<ConsentChange> changes, ConsentState state) {
    PolicySet policy = config.policy.get();
    for (ConsentChange change : changes) {
      ChangeChecks.Checked checked = ChangeChecks.check(policy, change, state);
      // A ward's consent counts only from her verified guardian, who acts with the fiduciary.
      GuardianChecks.check(
          config.ledger.guardians(), checked.purpose(), checked.change(), state, Instant.now());
      if (state == ConsentState.RENEWED && !renewable(change)) {
        throw new ConsentException(
            ConsentException.Kind.NOTHING_TO_RENEW,
            "there is no consent for purpose '" + change.purpose() + "' to renew");
      }
    }
  }

  private boolean renewable(ConsentChange change) {
    ConsentState now =
        config.ledger.current(change.tenant(), change.subject(), change.purpose()).state();
    return now.isValidForProcessing() || now == ConsentState.EXPIRED;
  }

  private ConsentEvent record(ConsentChange change, String action) {
    return switch (action) {
      case "give" -> config.ledger.give(change);
      case "renew" -> config.ledger.renew(change);
      case "refuse" -> config.ledger.refuse(change);
      default -> config.ledger.withdraw(change);
    };
  }

  /**
   * The changes queued for a manager after {@code after} (0 for the first), oldest first, at most
   * {@code limit} (1 to {@value #MAX_PULL}); each is marked pulled.
   *
   * @throws ConsentException {@code not-found} for a manager the tenant does not have; {@code
   *     consent-manager-suspended}
   */
  public List<ManagerChange> changes(String tenant, String managerId, long after, int limit) {
    requireActive(get(tenant, managerId).orElseThrow(ManagerRegistry::notFound));
    if (limit < 1 || limit > MAX_PULL || after < 0) {
      throw new ConsentException(
          ConsentException.Kind.INVALID_FIELD,
          "limit",
          "limit must be 1 to " + MAX_PULL + " and after a cursor of 0 or more");
    }
    return ManagerChanges.pull(jdbi, tenant, managerId, after, limit);
  }

  /** The artefacts through which a subject acted, oldest first: evidence for her package. */
  public List<ManagerArtefact> artefacts(String tenant, String subject) {
    return artefacts.ofSubject(tenant, subject);
  }

  /** Whether any manager ever sent the tenant an artefact. */
  boolean hasArtefacts(String tenant) {
    return jdbi.withHandle(
        h ->
            h.createQuery("SELECT id FROM consent_manager_artefacts WHERE tenant = :t LIMIT 1")
                .bind("t", tenant)
                .mapTo(String.class)
                .findFirst()
                .isPresent());
  }

  /**
   * The subject's artefacts as a part of her access and portability packages (register it with
   * {@link DsrConfig#contributor}).
   */
  public SubjectDataContributor evidence() {
    return new ManagerEvidence(this);
  }

  private static Instant now() {
    return Instant.now().truncatedTo(ChronoUnit.MICROS);
  }
}

package dev.privacykit.consent;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import dev.privacykit.policies.ConsentManagerEntry;
import dev.privacykit.policies.PolicySet;
import dev.privacykit.storage.spi.SqlFailures;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;

/**
 * The Consent Managers a tenant accepts: those of the policy (which no API registration can shadow)
 * and those registered by API in {@code consent_managers}. Key sets hold public keys only.
 */
final class ManagerRegistry {
  static final Pattern ID = Pattern.compile("[a-z][a-z0-9_-]{0,127}");
  static final int MAX_JWKS_CHARS = 20_000;
  static final int MAX_KEYS = 20;

  private final Jdbi jdbi;
  private final Supplier<PolicySet> policy;

  ManagerRegistry(Jdbi jdbi, Supplier<PolicySet> policy) {
    this.jdbi = jdbi;
    this.policy = policy;
  }

  /** The manager a tenant accepts under this id, if any (the policy's first), removed ones too. */
  Optional<ConsentManager> find(String tenant, String id) {
    Optional<ConsentManager> ofPolicy = ofPolicy(id);
    if (ofPolicy.isPresent()) {
      return ofPolicy;
    }
    return jdbi.withHandle(h -> row(h, tenant, id));
  }

  /** The policy's managers, then the tenant's own that are not removed. */
  List<ConsentManager> list(String tenant) {
    List<ConsentManager> out = new ArrayList<>();
    for (ConsentManagerEntry entry : policy.get().consentManagers()) {
      out.add(fromPolicy(entry));
    }
    out.addAll(
        jdbi.withHandle(
            h ->
                h.createQuery(
                        "SELECT * FROM consent_managers WHERE tenant = :t AND status <> 'REMOVED'"
                            + " ORDER BY id")
                    .bind("t", tenant)
                    .map((rs, ctx) -> manager(rs))
                    .list()));
    return out;
  }

  ConsentManager register(
      String tenant,
      String id,
      String registrationNumber,
      String name,
      String jwks,
      String webhookId,
      Instant now) {
    if (id == null || !ID.matcher(id).matches()) {
      throw new ConsentException(
          ConsentException.Kind.INVALID_FIELD,
          "id",
          "id must be 1 to 128 lower-case letters, digits, '_' or '-', starting with a letter");
    }
    String number = line("registration_number", registrationNumber);
    String named = line("name", name);
    String keys = checkedJwks(jwks);
    if (ofPolicy(id).isPresent()) {
      throw new ConsentException(
          ConsentException.Kind.CONFLICT,
          "id",
          "the policy registers a Consent Manager with this id; an API registration cannot stand"
              + " for it");
    }
    try {
      return jdbi.inTransaction(
          h -> {
            if (webhookId != null) {
              requireWebhook(h, tenant, webhookId);
            }
            h.createUpdate(
                    "INSERT INTO consent_managers (tenant, id, registration_number, name, jwks,"
                        + " webhook_id, status, created_at, updated_at)"
                        + " VALUES (:t, :id, :n, :name, :jwks, :w, 'ACTIVE', :at, :at)")
                .bind("t", tenant)
                .bind("id", id)
                .bind("n", number)
                .bind("name", named)
                .bind("jwks", keys)
                .bind("w", webhookId)
                .bind("at", now.atOffset(ZoneOffset.UTC))
                .execute();
            return row(h, tenant, id).orElseThrow();
          });
    } catch (UnableToExecuteStatementException e) {
      if (SqlFailures.isUniqueViolation(e)) {
        throw new ConsentException(
            ConsentException.Kind.CONFLICT,
            "id",
            "this tenant already registered a Consent Manager with this id (removed ones too)");
      }
      throw e;
    }
  }

  /** Replaces the key set (rotation): artefacts signed with a key no longer listed fail. */
  ConsentManager replaceKeys(String tenant, String id, String jwks, Instant now) {
    String keys = checkedJwks(jwks);
    return update(tenant, id, "jwks = :v", keys, now);
  }

  ConsentManager status(String tenant, String id, ConsentManager.Status status, Instant now) {
    return update(tenant, id, "status = :v", status.name(), now);
  }

  private ConsentManager update(String tenant, String id, String set, String value, Instant now) {
    if (ofPolicy(id).isPresent()) {
      throw new ConsentException(
          ConsentException.Kind.CONFLICT,
          "id",
          "this Consent Manager is registered in the policy: change it there");
    }
    return jdbi.inTransaction(
        h -> {
          int changed =
              h.createUpdate(
                      "UPDATE consent_managers SET "
                          + set
                          + ", updated_at = :at WHERE tenant = :t AND id = :id"
                          + " AND status <> 'REMOVED'")
                  .bind("v", value)
                  .bind("at", now.atOffset(ZoneOffset.UTC))
                  .bind("t", tenant)
                  .bind("id", id)
                  .execute();
          if (changed == 0) {
            throw notFound();
          }
          return row(h, tenant, id).orElseThrow();
        });
  }

  static ConsentException notFound() {
    return new ConsentException(
        ConsentException.Kind.NOT_FOUND, "no such Consent Manager for this tenant");
  }

  /**
   * A webhook of the tenant, active, that subscribes to the Consent Manager changes only: it then
   * hears nothing tenant-wide, only the changes of the principals who acted through the manager.
   */
  private static void requireWebhook(Handle h, String tenant, String webhookId) {
    Optional<String> events =
        h.createQuery(
                "SELECT events FROM webhook_recipients WHERE id = :id AND tenant = :t AND active")
            .bind("id", webhookId)
            .bind("t", tenant)
            .mapTo(String.class)
            .findOne();
    if (events.isEmpty()) {
      throw new ConsentException(
          ConsentException.Kind.INVALID_FIELD, "webhook_id", "no such active webhook");
    }
    if (!events.get().equals(ManagerChanges.TYPE)) {
      throw new ConsentException(
          ConsentException.Kind.INVALID_FIELD,
          "webhook_id",
          "a webhook standing for a Consent Manager must subscribe to "
              + ManagerChanges.TYPE
              + " only");
    }
  }

  /**
   * Checks a key set: JSON, 1 to {@value #MAX_KEYS} keys, each public, EC P-256, OKP Ed25519 or RSA
   * of 2048 bits or more, with a unique {@code kid}. Returns it as given.
   */
  static String checkedJwks(String jwks) {
    if (jwks == null || jwks.isBlank() || jwks.length() > MAX_JWKS_CHARS) {
      throw invalidJwks("jwks must be a JSON Web Key Set of at most " + MAX_JWKS_CHARS + " chars");
    }
    JWKSet set;
    try {
      set = JWKSet.parse(jwks);
    } catch (java.text.ParseException | RuntimeException e) {
      throw invalidJwks("jwks is not a JSON Web Key Set");
    }
    if (set.getKeys().isEmpty() || set.getKeys().size() > MAX_KEYS) {
      throw invalidJwks("jwks must hold 1 to " + MAX_KEYS + " keys");
    }
    Set<String> kids = new HashSet<>();
    for (JWK key : set.getKeys()) {
      if (key.isPrivate()) {
        throw invalidJwks("jwks must hold public keys only: a key has private or secret parts");
      }
      if (key.getKeyID() == null || key.getKeyID().isBlank() || !kids.add(key.getKeyID())) {
        throw invalidJwks("each key needs a kid, unique in the set");
      }
      if (ArtefactVerifier.algorithmsOf(key).isEmpty()) {
        throw invalidJwks(
            "key '"
                + key.getKeyID()
                + "' is not an EC P-256, OKP Ed25519 or RSA (2048 bits or more) signing key");
      }
    }
    return jwks;
  }

  private static ConsentException invalidJwks(String message) {
    return new ConsentException(ConsentException.Kind.INVALID_FIELD, "jwks", message);
  }

  private static String line(String field, String value) {
    if (value == null
        || value.isBlank()
        || value.length() > 256
        || value.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
      throw new ConsentException(
          ConsentException.Kind.INVALID_FIELD,
          field,
          field + " must be one line of 1 to 256 chars");
    }
    return value.strip();
  }

  private Optional<ConsentManager> ofPolicy(String id) {
    return policy.get().consentManagers().stream()
        .filter(e -> e.id().equals(id))
        .findFirst()
        .map(ManagerRegistry::fromPolicy);
  }

  private static ConsentManager fromPolicy(ConsentManagerEntry entry) {
    return new ConsentManager(
        entry.id(),
        entry.registrationNumber(),
        entry.name(),
        entry.jwks(),
        null,
        ConsentManager.Status.ACTIVE,
        true,
        null);
  }

  static Optional<ConsentManager> row(Handle h, String tenant, String id) {
    return h.createQuery("SELECT * FROM consent_managers WHERE tenant = :t AND id = :id")
        .bind("t", tenant)
        .bind("id", id)
        .map((rs, ctx) -> manager(rs))
        .findOne();
  }

  private static ConsentManager manager(java.sql.ResultSet rs) throws java.sql.SQLException {
    return new ConsentManager(
        rs.getString("id"),
        rs.getString("registration_number"),
        rs.getString("name"),
        rs.getString("jwks"),
        rs.getString("webhook_id"),
        ConsentManager.Status.valueOf(rs.getString("status")),
        false,
        rs.getObject("updated_at", OffsetDateTime.class).toInstant());
  }
}

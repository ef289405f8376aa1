package dev.privacykit.consent;

import dev.privacykit.storage.spi.SqlFailures;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;

/**
 * {@code consent_manager_artefacts}: each verified artefact, kept as evidence, unique per tenant,
 * manager and {@code jti}. Only {@link ConsentManagers} writes here, after verifying the artefact;
 * the ledger records a change "through a Consent Manager" only when its artefact is here.
 */
final class ArtefactStore {
  private final Jdbi jdbi;

  ArtefactStore(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  /** The artefact a manager sent under {@code jti}, if any. */
  Optional<ManagerArtefact> byJti(String tenant, String manager, String jti) {
    return jdbi.withHandle(
        h ->
            h.createQuery(
                    "SELECT * FROM consent_manager_artefacts WHERE tenant = :t AND manager_id = :m"
                        + " AND jti = :j")
                .bind("t", tenant)
                .bind("m", manager)
                .bind("j", jti)
                .map((rs, ctx) -> artefact(rs))
                .findOne());
  }

  /**
   * Stores a verified artefact as RECEIVED.
   *
   * @throws ConsentException {@code artefact-replayed} when its jti is already stored
   */
  void insert(
      String id,
      String tenant,
      String manager,
      ArtefactVerifier.Claims claims,
      String jws,
      Instant now) {
    try {
      jdbi.useHandle(
          h ->
              h.createUpdate(
                      "INSERT INTO consent_manager_artefacts (id, tenant, manager_id, jti, subject,"
                          + " action, purposes, jws, sha256, issued_at, received_at, status)"
                          + " VALUES (:id, :t, :m, :j, :s, :a, :p, :jws, :hash, :iat, :at,"
                          + " 'RECEIVED')")
                  .bind("id", id)
                  .bind("t", tenant)
                  .bind("m", manager)
                  .bind("j", claims.jti())
                  .bind("s", claims.subject())
                  .bind("a", claims.action())
                  .bind("p", String.join("\n", claims.purposes()))
                  .bind("jws", jws)
                  .bind("hash", claims.sha256())
                  .bind("iat", claims.issuedAt().atOffset(ZoneOffset.UTC))
                  .bind("at", now.atOffset(ZoneOffset.UTC))
                  .execute());
    } catch (UnableToExecuteStatementException e) {
      if (SqlFailures.isUniqueViolation(e)) {
        throw replayed();
      }
      throw e;
    }
  }

  void applied(String id) {
    jdbi.useHandle(
        h ->
            h.createUpdate("UPDATE consent_manager_artefacts SET status = 'APPLIED' WHERE id = :id")
                .bind("id", id)
                .execute());
  }

  /** A subject's artefacts, oldest first (at most 1,000). */
  List<ManagerArtefact> ofSubject(String tenant, String subject) {
    return jdbi.withHandle(
        h ->
            h.createQuery(
                    "SELECT * FROM consent_manager_artefacts WHERE tenant = :t AND subject = :s"
                        + " ORDER BY received_at, id LIMIT 1000")
                .bind("t", tenant)
                .bind("s", subject)
                .map((rs, ctx) -> artefact(rs))
                .list());
  }

  static ConsentException replayed() {
    return new ConsentException(
        ConsentException.Kind.ARTEFACT_REPLAYED,
        "artefact",
        "this Consent Manager already sent an artefact with this jti");
  }

  private static ManagerArtefact artefact(java.sql.ResultSet rs) throws java.sql.SQLException {
    return new ManagerArtefact(
        rs.getString("id"),
        rs.getString("manager_id"),
        rs.getString("jti"),
        rs.getString("subject"),
        rs.getString("action"),
        Arrays.asList(rs.getString("purposes").split("\n")),
        rs.getObject("issued_at", OffsetDateTime.class).toInstant(),
        rs.getObject("received_at", OffsetDateTime.class).toInstant(),
        rs.getString("sha256"),
        rs.getString("jws"),
        "APPLIED".equals(rs.getString("status")));
  }
}

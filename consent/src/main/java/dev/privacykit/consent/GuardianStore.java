package dev.privacykit.consent;

import dev.privacykit.policies.Guardianship;
import dev.privacykit.storage.Database;
import dev.privacykit.storage.spi.Jdbis;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * The guardianship tables: ward markings and verified guardian links, both stamped, not deleted.
 */
final class GuardianStore {
  private final Jdbi jdbi;
  private final String lock;

  GuardianStore(Database database) {
    this.jdbi = Jdbis.of(database);
    this.lock = database.dialect().lockRowsClause();
  }

  <T> T inTransaction(org.jdbi.v3.core.HandleCallback<T, RuntimeException> work) {
    return jdbi.inTransaction(work);
  }

  /**
   * What the decision engine needs to know: whether the subject is a ward on {@code today}, and
   * whether her consent for {@code purpose} was given through a guardian link still in force.
   */
  Guardianship guardianship(String tenant, String subject, String purpose, LocalDate today) {
    return jdbi.withHandle(
        h -> {
          Optional<WardMarking> marking = marking(h, tenant, subject, today, false);
          if (marking.isEmpty()) {
            return null;
          }
          boolean byGuardian =
              h.createQuery(
                          "SELECT COUNT(*) FROM consent_state s JOIN guardian_links l"
                              + " ON l.id = s.guardian_link AND l.tenant = s.tenant AND l.ward = s.subject"
                              + " WHERE s.tenant = :t AND s.subject = :s AND s.purpose = :p"
                              + " AND l.revoked_at IS NULL")
                      .bind("t", tenant)
                      .bind("s", subject)
                      .bind("p", purpose)
                      .mapTo(Long.class)
                      .one()
                  > 0;
          return new Guardianship(marking.get().kind(), byGuardian);
        });
  }

  /** The subject's marking in force on {@code today}, the newest if several. */
  Optional<WardMarking> marking(String tenant, String subject, LocalDate today) {
    return jdbi.withHandle(h -> marking(h, tenant, subject, today, false));
  }

  Optional<WardMarking> marking(
      Handle h, String tenant, String subject, LocalDate today, boolean forUpdate) {
    return markings(h, tenant, subject, forUpdate).stream()
        .filter(m -> m.inForce(today))
        .reduce((a, b) -> b);
  }

  /** The subject's markings in force on {@code today} (in a change's transaction). */
  List<WardMarking> markings(Handle h, String tenant, String subject, LocalDate today) {
    return markings(h, tenant, subject, false).stream().filter(m -> m.inForce(today)).toList();
  }

  List<WardMarking> markings(String tenant, String subject) {
    return jdbi.withHandle(h -> markings(h, tenant, subject, false));
  }

  private List<WardMarking> markings(Handle h, String tenant, String subject, boolean forUpdate) {
    return h.createQuery(
            "SELECT * FROM ward_markings WHERE tenant = :t AND subject = :s ORDER BY marked_at, id"
                + (forUpdate ? " " + lock : ""))
        .bind("t", tenant)
        .bind("s", subject)
        .map((rs, ctx) -> marking(rs))
        .list();
  }

  static void insert(Handle h, WardMarking m) {
    h.createUpdate(
            "INSERT INTO ward_markings (id, tenant, subject, kind, source, reference, until_date,"
                + " marked_at, marked_by) VALUES (:id, :t, :s, :kind, :source, :ref, :until, :at, :by)")
        .bind("id", m.id())
        .bind("t", m.tenant())
        .bind("s", m.subject())
        .bind("kind", m.kind().name())
        .bind("source", m.source().name())
        .bind("ref", m.reference())
        .bind("until", m.until())
        .bind("at", m.markedAt().atOffset(ZoneOffset.UTC))
        .bind("by", m.markedBy())
        .execute();
  }

  static void clear(Handle h, String id, Instant at, String by, String reason) {
    h.createUpdate(
            "UPDATE ward_markings SET cleared_at = :at, cleared_by = :by, cleared_reason = :why"
                + " WHERE id = :id AND cleared_at IS NULL")
        .bind("id", id)
        .bind("at", at.atOffset(ZoneOffset.UTC))
        .bind("by", by)
        .bind("why", reason)
        .execute();
  }

  List<GuardianLink> linksOfWard(String tenant, String ward) {
    return jdbi.withHandle(h -> links(h, "ward", tenant, ward));
  }

  List<GuardianLink> linksOfGuardian(String tenant, String guardian) {
    return jdbi.withHandle(h -> links(h, "guardian", tenant, guardian));
  }

  /** Every link of the ward (in a change's transaction). */
  static List<GuardianLink> linksOfWard(Handle h, String tenant, String ward) {
    return links(h, "ward", tenant, ward);
  }

  private static List<GuardianLink> links(Handle h, String column, String tenant, String value) {
    return h.createQuery(
            "SELECT * FROM guardian_links WHERE tenant = :t AND "
                + column
                + " = :v ORDER BY recorded_at, id")
        .bind("t", tenant)
        .bind("v", value)
        .map((rs, ctx) -> link(rs))
        .list();
  }

  /**
   * The active link of {@code guardian} to {@code ward}, if the ward is a ward on {@code today}.
   */
  Optional<GuardianLink> activeLink(String tenant, String ward, String guardian, LocalDate today) {
    return activeLinks(tenant, guardian, ward, today).stream().findFirst();
  }

  /** The active links of {@code guardian} to principals who are wards on {@code today}. */
  List<GuardianLink> activeLinksOfGuardian(String tenant, String guardian, LocalDate today) {
    return activeLinks(tenant, guardian, null, today);
  }

  /**
   * One query: links not revoked whose ward has a marking in force on {@code today} (not cleared,
   * before its end date: {@link WardMarking#inForce} in SQL), to {@code ward} only unless null.
   */
  private List<GuardianLink> activeLinks(
      String tenant, String guardian, String ward, LocalDate today) {
    return jdbi.withHandle(
        h -> {
          var query =
              h.createQuery(
                      "SELECT l.* FROM guardian_links l WHERE l.tenant = :t AND l.guardian = :g"
                          + (ward == null ? "" : " AND l.ward = :w")
                          + " AND l.revoked_at IS NULL AND EXISTS (SELECT 1 FROM ward_markings m"
                          + " WHERE m.tenant = l.tenant AND m.subject = l.ward AND m.cleared_at IS NULL"
                          + " AND (m.until_date IS NULL OR m.until_date > :today))"
                          + " ORDER BY l.recorded_at, l.id")
                  .bind("t", tenant)
                  .bind("g", guardian)
                  .bind("today", today);
          if (ward != null) {
            query.bind("w", ward);
          }
          return query.map((rs, ctx) -> link(rs)).list();
        });
  }

  static void insert(Handle h, GuardianLink l) {
    GuardianVerification v = l.verification();
    h.createUpdate(
            "INSERT INTO guardian_links (id, tenant, ward, guardian, relation, method, reference,"
                + " issuer, verified_at, verified_by, recorded_at) VALUES (:id, :t, :w, :g, :rel,"
                + " :method, :ref, :issuer, :verified, :by, :at)")
        .bind("id", l.id())
        .bind("t", l.tenant())
        .bind("w", l.ward())
        .bind("g", l.guardian())
        .bind("rel", l.relation().name())
        .bind("method", v.method().name())
        .bind("ref", v.reference())
        .bind("issuer", v.issuer())
        .bind("verified", v.verifiedAt().atOffset(ZoneOffset.UTC))
        .bind("by", v.verifiedBy())
        .bind("at", l.recordedAt().atOffset(ZoneOffset.UTC))
        .execute();
  }

  static void revoke(Handle h, String id, Instant at, String by, String reason) {
    h.createUpdate(
            "UPDATE guardian_links SET revoked_at = :at, revoked_by = :by, revoked_reason = :why"
                + " WHERE id = :id AND revoked_at IS NULL")
        .bind("id", id)
        .bind("at", at.atOffset(ZoneOffset.UTC))
        .bind("by", by)
        .bind("why", reason)
        .execute();
  }

  private static WardMarking marking(ResultSet rs) throws SQLException {
    java.sql.Date until = rs.getDate("until_date");
    return new WardMarking(
        rs.getString("id"),
        rs.getString("tenant"),
        rs.getString("subject"),
        Guardianship.Kind.valueOf(rs.getString("kind")),
        WardMarking.Source.valueOf(rs.getString("source")),
        rs.getString("reference"),
        until == null ? null : until.toLocalDate(),
        instant(rs, "marked_at"),
        rs.getString("marked_by"),
        instant(rs, "cleared_at"),
        rs.getString("cleared_by"),
        rs.getString("cleared_reason"));
  }

  private static GuardianLink link(ResultSet rs) throws SQLException {
    return new GuardianLink(
        rs.getString("id"),
        rs.getString("tenant"),
        rs.getString("ward"),
        rs.getString("guardian"),
        GuardianLink.Relation.valueOf(rs.getString("relation")),
        new GuardianVerification(
            GuardianVerification.Method.valueOf(rs.getString("method")),
            rs.getString("reference"),
            rs.getString("issuer"),
            instant(rs, "verified_at"),
            rs.getString("verified_by")),
        instant(rs, "recorded_at"),
        instant(rs, "revoked_at"),
        rs.getString("revoked_by"),
        rs.getString("revoked_reason"));
  }

  private static Instant instant(ResultSet rs, String column) throws SQLException {
    OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
    return value == null ? null : value.toInstant();
  }
}

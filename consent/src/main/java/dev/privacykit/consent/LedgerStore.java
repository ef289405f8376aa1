package dev.privacykit.consent;

import dev.privacykit.policies.ConsentAnswer;
import dev.privacykit.policies.ConsentState;
import dev.privacykit.storage.Database;
import dev.privacykit.storage.spi.Jdbis;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/** The ledger's tables: events (insert only) and the current-state projection. */
final class LedgerStore {
  record Written(ConsentEvent event, boolean created) {}

  private final Jdbi jdbi;
  private final String lock;

  LedgerStore(Database database) {
    this.jdbi = Jdbis.of(database);
    this.lock = database.dialect().lockRowsClause();
  }

  Written write(
      ConsentChange change,
      ConsentState state,
      String noticeId,
      String basis,
      Instant validUntil,
      Instant receivedAt,
      java.util.function.BiConsumer<Handle, ConsentEvent> withinTransaction) {
    try {
      return writeOnce(change, state, noticeId, basis, validUntil, receivedAt, withinTransaction);
    } catch (org.jdbi.v3.core.statement.UnableToExecuteStatementException e) {
      if (change.idempotencyKey() == null) {
        throw e;
      }
      // Two requests with one key raced: the other one's event is stored now; answer as a replay.
      return writeOnce(change, state, noticeId, basis, validUntil, receivedAt, withinTransaction);
    }
  }

  private Written writeOnce(
      ConsentChange change,
      ConsentState state,
      String noticeId,
      String basis,
      Instant validUntil,
      Instant receivedAt,
      java.util.function.BiConsumer<Handle, ConsentEvent> withinTransaction) {
    return jdbi.inTransaction(
        h -> {
          if (change.idempotencyKey() != null) {
            Optional<ConsentEvent> earlier =
                byIdempotencyKey(h, change.tenant(), change.idempotencyKey());
            if (earlier.isPresent()) {
              requireSameChange(earlier.get(), change, state);
              return new Written(earlier.get(), false);
            }
          }
          Optional<Map<String, Object>> current =
              h.createQuery(
                      "SELECT state, notice_version, changed_at, expires_at, gpc_opt_out_at FROM consent_state"
                          + " WHERE tenant = :t AND subject = :s AND purpose = :p "
                          + lock)
                  .bind("t", change.tenant())
                  .bind("s", change.subject())
                  .bind("p", change.purpose())
                  .mapToMap()
                  .findOne();
          if (state == ConsentState.RENEWED
              && current
                  .map(row -> ConsentState.valueOf((String) row.get("state")))
                  .filter(
                      s ->
                          s == ConsentState.GIVEN
                              || s == ConsentState.RENEWED
                              || s == ConsentState.EXPIRED)
                  .isEmpty()) {
            throw new ConsentException(
                ConsentException.Kind.NOTHING_TO_RENEW,
                "there is no consent for purpose '" + change.purpose() + "' to renew");
          }
          boolean notice = state == ConsentState.GIVEN || state == ConsentState.RENEWED;
          ConsentEvent event =
              new ConsentEvent(
                  UUID.randomUUID().toString(),
                  change.tenant(),
                  change.subject(),
                  change.purpose(),
                  state,
                  noticeId,
                  notice ? change.noticeVersion() : change.noticeVersion(),
                  change.language(),
                  basis,
                  change.method(),
                  change.actingParty(),
                  change.evidence(),
                  receivedAt,
                  validUntil,
                  change.provenance());
          insertEvent(h, event, change.idempotencyKey());
          Instant collected = change.evidence().collectedAt();
          Instant gpcAt =
              change.method() == ConsentMethod.GPC
                  ? collected
                  : current.map(r -> instant(r.get("gpc_opt_out_at"))).orElse(null);
          // A withdrawal, refusal or GPC opt-out always takes effect, whatever times the events
          // before it carry: processing is never allowed after an acknowledged withdrawal. A
          // permissive change takes effect only if collected no earlier than the current state.
          boolean newer =
              !state.isValidForProcessing()
                  || current
                      .map(r -> !collected.isBefore(instant(r.get("changed_at"))))
                      .orElse(true);
          if (newer) {
            h.createUpdate(
                    "DELETE FROM consent_state WHERE tenant = :t AND subject = :s AND purpose = :p")
                .bind("t", change.tenant())
                .bind("s", change.subject())
                .bind("p", change.purpose())
                .execute();
            h.createUpdate(
                    "INSERT INTO consent_state (tenant, subject, purpose, state, notice_version, changed_at, expires_at,"
                        + " explicit, gpc_opt_out_at, last_event_id, guardian_link)"
                        + " VALUES (:t, :s, :p, :state, :v, :at, :exp, :explicit, :gpc, :e, :link)")
                .bind("t", change.tenant())
                .bind("s", change.subject())
                .bind("p", change.purpose())
                .bind("state", state.name())
                .bind(
                    "v",
                    notice
                        ? Integer.valueOf(change.noticeVersion())
                        : current.map(r -> (Integer) r.get("notice_version")).orElse(null))
                .bind("at", collected.atOffset(ZoneOffset.UTC))
                .bind("exp", validUntil == null ? null : validUntil.atOffset(ZoneOffset.UTC))
                .bind("explicit", notice && change.method().isExplicit())
                .bind("gpc", gpcAt == null ? null : gpcAt.atOffset(ZoneOffset.UTC))
                .bind("e", event.eventId())
                .bind("link", notice ? change.provenance().guardianLink() : null)
                .execute();
          }
          if (state == ConsentState.WITHDRAWN
              || (state == ConsentState.REFUSED && change.method() == ConsentMethod.GPC)) {
            Outbox.add(
                h,
                change.tenant(),
                Outbox.CONSENT_WITHDRAWN,
                Outbox.payload(
                    Outbox.CONSENT_WITHDRAWN,
                    change.tenant(),
                    change.subject(),
                    change.purpose(),
                    event.eventId(),
                    collected),
                receivedAt);
          }
          withinTransaction.accept(h, event);
          return new Written(event, true);
        });
  }

  ConsentAnswer answer(String tenant, String subject, String purpose, Instant now) {
    return jdbi.withHandle(
            h ->
                h.createQuery(
                        "SELECT state, notice_version, changed_at, expires_at, explicit, gpc_opt_out_at FROM consent_state"
                            + " WHERE tenant = :t AND subject = :s AND purpose = :p")
                    .bind("t", tenant)
                    .bind("s", subject)
                    .bind("p", purpose)
                    .map(
                        (rs, ctx) -> {
                          ConsentAnswer stored =
                              new ConsentAnswer(
                                  ConsentState.valueOf(rs.getString("state")),
                                  rs.getInt("notice_version"),
                                  instant(rs.getObject("changed_at", OffsetDateTime.class)),
                                  instant(rs.getObject("expires_at", OffsetDateTime.class)),
                                  rs.getBoolean("explicit"),
                                  instant(rs.getObject("gpc_opt_out_at", OffsetDateTime.class)));
                          return stored.asOf(now);
                        })
                    .findOne())
        .orElse(ConsentAnswer.none());
  }

  List<ConsentEvent> history(String tenant, String subject, String purpose) {
    return jdbi.withHandle(
        h ->
            h.createQuery(
                    "SELECT * FROM consent_events WHERE tenant = :t AND subject = :s AND purpose = :p ORDER BY id")
                .bind("t", tenant)
                .bind("s", subject)
                .bind("p", purpose)
                .map((rs, ctx) -> event(rs))
                .list());
  }

  List<Map<String, Object>> exportPage(String tenant, long afterId, int limit) {
    return jdbi.withHandle(
        h ->
            h.createQuery(
                    "SELECT id, event_id, tenant, subject, purpose, state, notice_id, notice_version, language,"
                        + " lawful_basis, method, acting_party, collected_at, received_at, valid_until, channel, ip_truncated, user_agent_hash,"
                        + " ui_version, idempotency_key, notice_hash, guardian, guardian_link, consent_manager, artefact"
                        + " FROM consent_events WHERE tenant = :t AND id > :after ORDER BY id LIMIT :n")
                .bind("t", tenant)
                .bind("after", afterId)
                .bind("n", limit)
                .mapToMap()
                .list());
  }

  /** Events read per query when streaming a subject's history. */
  static final int HISTORY_PAGE = 500;

  /** One page of a subject's events with ids above {@code afterId}, in id order. */
  record Page(List<ConsentEvent> events, long lastId) {}

  Page historyOfSubject(String tenant, String subject, long afterId) {
    long[] last = {afterId};
    List<ConsentEvent> events =
        jdbi.withHandle(
            h ->
                h.createQuery(
                        "SELECT * FROM consent_events WHERE tenant = :t AND subject = :s"
                            + " AND id > :after ORDER BY id LIMIT "
                            + HISTORY_PAGE)
                    .bind("t", tenant)
                    .bind("s", subject)
                    .bind("after", afterId)
                    .map(
                        (rs, ctx) -> {
                          last[0] = rs.getLong("id");
                          return event(rs);
                        })
                    .list());
    return new Page(events, last[0]);
  }

  List<String> purposesOfSubject(String tenant, String subject) {
    return jdbi.withHandle(
        h ->
            h.createQuery(
                    "SELECT purpose FROM consent_state WHERE tenant = :t AND subject = :s ORDER BY purpose")
                .bind("t", tenant)
                .bind("s", subject)
                .mapTo(String.class)
                .list());
  }

  /**
   * A reused idempotency key must name the same change: the same subject, purpose and action, and
   * the same notice, method, acting party and evidence. Anything else is a conflict, never a silent
   * no-op, so a key one subject used cannot swallow another subject's change.
   */
  private static void requireSameChange(
      ConsentEvent earlier, ConsentChange change, ConsentState state) {
    Evidence a = earlier.evidence();
    Evidence b = change.evidence();
    boolean same =
        earlier.subject().equals(change.subject())
            && earlier.purpose().equals(change.purpose())
            && earlier.state() == state
            && earlier.noticeVersion() == change.noticeVersion()
            && java.util.Objects.equals(earlier.language(), change.language())
            && earlier.actingParty() == change.actingParty()
            && earlier.provenance().equals(change.provenance());
    if (change.method() == ConsentMethod.IMPORT || earlier.method() == ConsentMethod.IMPORT) {
      // An import (or a re-import of an export) names the same change by its original time.
      same &= a.collectedAt().equals(b.collectedAt());
    } else {
      same &=
          earlier.method() == change.method()
              && java.util.Objects.equals(a.channel(), b.channel())
              && java.util.Objects.equals(a.ipTruncated(), b.ipTruncated())
              && java.util.Objects.equals(a.userAgentHash(), b.userAgentHash())
              && java.util.Objects.equals(a.uiVersion(), b.uiVersion());
    }
    if (!same) {
      throw new ConsentException(
          ConsentException.Kind.CONFLICT,
          "idempotency_key",
          "this idempotency_key was already used for a different change");
    }
  }

  private static Optional<ConsentEvent> byIdempotencyKey(Handle h, String tenant, String key) {
    return h.createQuery("SELECT * FROM consent_events WHERE tenant = :t AND idempotency_key = :k")
        .bind("t", tenant)
        .bind("k", key)
        .map((rs, ctx) -> event(rs))
        .findOne();
  }

  private static void insertEvent(Handle h, ConsentEvent e, String idempotencyKey) {
    h.createUpdate(
            "INSERT INTO consent_events (event_id, tenant, subject, purpose, state, notice_id, notice_version, language,"
                + " lawful_basis, method, acting_party, collected_at, received_at, valid_until, channel, ip_truncated, user_agent_hash,"
                + " ui_version, idempotency_key, notice_hash, guardian, guardian_link, consent_manager, artefact)"
                + " VALUES (:id, :t, :s, :p, :state, :notice, :v, :lang, :basis, :method, :party, :collected,"
                + " :received, :valid, :channel, :ip, :ua, :ui, :key, :hash, :guardian, :link, :cm, :artefact)")
        .bind("id", e.eventId())
        .bind("t", e.tenant())
        .bind("s", e.subject())
        .bind("p", e.purpose())
        .bind("state", e.state().name())
        .bind("notice", e.noticeId())
        .bind("v", e.noticeVersion())
        .bind("lang", e.language())
        .bind("basis", e.lawfulBasis())
        .bind("method", e.method().name())
        .bind("party", e.actingParty().name())
        .bind("collected", e.evidence().collectedAt().atOffset(ZoneOffset.UTC))
        .bind("received", e.receivedAt().atOffset(ZoneOffset.UTC))
        .bind("valid", e.validUntil() == null ? null : e.validUntil().atOffset(ZoneOffset.UTC))
        .bind("channel", e.evidence().channel())
        .bind("ip", e.evidence().ipTruncated())
        .bind("ua", e.evidence().userAgentHash())
        .bind("ui", e.evidence().uiVersion())
        .bind("key", idempotencyKey)
        .bind("hash", e.provenance().noticeHash())
        .bind("guardian", e.provenance().guardian())
        .bind("link", e.provenance().guardianLink())
        .bind("cm", e.provenance().consentManager())
        .bind("artefact", e.provenance().artefact())
        .execute();
  }

  static ConsentEvent event(ResultSet rs) throws SQLException {
    return new ConsentEvent(
        rs.getString("event_id"),
        rs.getString("tenant"),
        rs.getString("subject"),
        rs.getString("purpose"),
        ConsentState.valueOf(rs.getString("state")),
        rs.getString("notice_id"),
        rs.getInt("notice_version"),
        rs.getString("language"),
        rs.getString("lawful_basis"),
        ConsentMethod.valueOf(rs.getString("method")),
        ActingParty.valueOf(rs.getString("acting_party")),
        new Evidence(
            instant(rs.getObject("collected_at", OffsetDateTime.class)),
            rs.getString("channel"),
            rs.getString("ip_truncated"),
            rs.getString("user_agent_hash"),
            rs.getString("ui_version")),
        instant(rs.getObject("received_at", OffsetDateTime.class)),
        instant(rs.getObject("valid_until", OffsetDateTime.class)),
        new Provenance(
            rs.getString("notice_hash"),
            rs.getString("guardian"),
            rs.getString("guardian_link"),
            rs.getString("consent_manager"),
            rs.getString("artefact")));
  }

  private static Instant instant(Object value) {
    if (value == null) {
      return null;
    }
    if (value instanceof OffsetDateTime odt) {
      return odt.toInstant();
    }
    return ((java.sql.Timestamp) value).toInstant();
  }
}

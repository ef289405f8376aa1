package dev.privacykit.consent;

import dev.privacykit.audit.ExportText;
import dev.privacykit.policies.ConsentState;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * The Consent Manager side of each consent change, in the change's own transaction ({@link
 * ConsentLedger} calls {@link #within}):
 *
 * <ul>
 *   <li>a change <em>through</em> a manager is recorded only if its artefact was verified and
 *       stored by {@link ConsentManagers}: the same tenant, manager, subject, action, a listed
 *       purpose and the idempotency key derived from the artefact's {@code jti}. A library caller
 *       cannot forge "via Consent Manager" provenance;
 *   <li>a change made <em>directly</em> with the fiduciary, for a principal who acted through a
 *       manager, is queued for that manager ({@code consent_manager_changes}) and, when a webhook
 *       stands for it, put in the outbox for that webhook only.
 * </ul>
 */
final class ManagerChanges {
  /** The webhook event type of a change sent back to a Consent Manager. */
  static final String TYPE = "consent_manager.change";

  private ManagerChanges() {}

  /** The idempotency key of one purpose of an artefact: a retried submission completes it. */
  static String key(String manager, String jti, String purpose) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256")
              .digest((manager + "\n" + jti + "\n" + purpose).getBytes(StandardCharsets.UTF_8));
      return "cm:" + HexFormat.of().formatHex(digest);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  static ConsentState state(String action) {
    return switch (action) {
      case "give" -> ConsentState.GIVEN;
      case "renew" -> ConsentState.RENEWED;
      case "refuse" -> ConsentState.REFUSED;
      default -> ConsentState.WITHDRAWN;
    };
  }

  static void within(Handle h, ConsentChange change, ConsentEvent event, Instant now) {
    if (change.method() == ConsentMethod.CONSENT_MANAGER) {
      requireArtefact(h, change, event);
      return;
    }
    List<String> managers =
        h.createQuery(
                "SELECT DISTINCT manager_id FROM consent_manager_artefacts"
                    + " WHERE tenant = :t AND subject = :s ORDER BY manager_id")
            .bind("t", change.tenant())
            .bind("s", change.subject())
            .mapTo(String.class)
            .list();
    for (String manager : managers) {
      Optional<ConsentManager> registered = ManagerRegistry.row(h, change.tenant(), manager);
      if (registered.isPresent() && registered.get().status() != ConsentManager.Status.ACTIVE) {
        continue; // suspended or removed: nothing more is sent to it
      }
      String webhook = registered.map(ConsentManager::webhookId).orElse(null);
      String outbox =
          webhook != null && active(h, webhook)
              ? Outbox.addFor(h, change.tenant(), webhook, TYPE, payload(manager, event), now)
              : null;
      h.createUpdate(
              "INSERT INTO consent_manager_changes (tenant, manager_id, subject, purpose, state,"
                  + " method, notice_version, event_id, occurred_at, outbox_id, created_at)"
                  + " VALUES (:t, :m, :s, :p, :state, :method, :v, :e, :at, :o, :now)")
          .bind("t", change.tenant())
          .bind("m", manager)
          .bind("s", event.subject())
          .bind("p", event.purpose())
          .bind("state", event.state().name())
          .bind("method", event.method().name())
          .bind("v", noticeVersion(event))
          .bind("e", event.eventId())
          .bind("at", event.evidence().collectedAt().atOffset(ZoneOffset.UTC))
          .bind("o", outbox)
          .bind("now", now.atOffset(ZoneOffset.UTC))
          .execute();
    }
  }

  private static Integer noticeVersion(ConsentEvent event) {
    return event.state() == ConsentState.GIVEN || event.state() == ConsentState.RENEWED
        ? event.noticeVersion()
        : null;
  }

  private static boolean active(Handle h, String webhook) {
    return h.createQuery("SELECT COUNT(*) FROM webhook_recipients WHERE id = :id AND active")
            .bind("id", webhook)
            .mapTo(Integer.class)
            .one()
        > 0;
  }

  private static void requireArtefact(Handle h, ConsentChange change, ConsentEvent event) {
    Provenance provenance = change.provenance();
    Optional<Map<String, Object>> row =
        h.createQuery(
                "SELECT manager_id, jti, subject, action, purposes FROM consent_manager_artefacts"
                    + " WHERE id = :id AND tenant = :t")
            .bind("id", provenance.artefact() == null ? "" : provenance.artefact())
            .bind("t", change.tenant())
            .mapToMap()
            .findOne();
    Map<String, Object> found = row.orElse(Map.of());
    boolean genuine =
        row.isPresent()
            && found.get("manager_id").equals(provenance.consentManager())
            && found.get("subject").equals(change.subject())
            && state((String) found.get("action")) == event.state()
            && Arrays.asList(((String) found.get("purposes")).split("\n"))
                .contains(change.purpose())
            && key(provenance.consentManager(), (String) found.get("jti"), change.purpose())
                .equals(change.idempotencyKey());
    if (!genuine) {
      throw new ConsentException(
          ConsentException.Kind.INVALID_FIELD,
          "method",
          "a change through a Consent Manager is recorded only from its verified artefact");
    }
  }

  /** The payload sent to the manager's webhook. */
  static String payload(String manager, ConsentEvent event) {
    Integer version = noticeVersion(event);
    return "{\"type\":"
        + ExportText.json(TYPE)
        + ",\"tenant\":"
        + ExportText.json(event.tenant())
        + ",\"consent_manager\":"
        + ExportText.json(manager)
        + ",\"subject\":"
        + ExportText.json(event.subject())
        + ",\"purpose\":"
        + ExportText.json(event.purpose())
        + ",\"state\":"
        + ExportText.json(event.state().name())
        + ",\"method\":"
        + ExportText.json(event.method().name())
        + (version == null ? "" : ",\"notice_version\":" + version)
        + ",\"reference\":"
        + ExportText.json(event.eventId())
        + ",\"occurred_at\":"
        + ExportText.json(event.evidence().collectedAt().toString())
        + "}";
  }

  /** The changes queued for a manager after {@code cursor}, in order; marks them pulled. */
  static List<ManagerChange> pull(Jdbi jdbi, String tenant, String manager, long after, int limit) {
    return jdbi.inTransaction(
        h -> {
          List<ManagerChange> changes =
              h.createQuery(
                      "SELECT c.*, d.status AS delivery FROM consent_manager_changes c"
                          + " LEFT JOIN webhook_deliveries d ON d.outbox_id = c.outbox_id"
                          + " WHERE c.tenant = :t AND c.manager_id = :m AND c.seq > :after"
                          + " ORDER BY c.seq LIMIT :n")
                  .bind("t", tenant)
                  .bind("m", manager)
                  .bind("after", after)
                  .bind("n", limit)
                  .map(
                      (rs, ctx) ->
                          new ManagerChange(
                              rs.getLong("seq"),
                              rs.getString("subject"),
                              rs.getString("purpose"),
                              rs.getString("state"),
                              rs.getString("method"),
                              (Integer) rs.getObject("notice_version"),
                              rs.getString("event_id"),
                              instant(rs.getObject("occurred_at", OffsetDateTime.class)),
                              instant(rs.getObject("created_at", OffsetDateTime.class)),
                              rs.getString("delivery"),
                              instant(rs.getObject("pulled_at", OffsetDateTime.class))))
                  .list();
          if (!changes.isEmpty()) {
            h.createUpdate(
                    "UPDATE consent_manager_changes SET pulled_at = :now WHERE tenant = :t"
                        + " AND manager_id = :m AND seq > :after AND seq <= :last"
                        + " AND pulled_at IS NULL")
                .bind("now", OffsetDateTime.now(ZoneOffset.UTC))
                .bind("t", tenant)
                .bind("m", manager)
                .bind("after", after)
                .bind("last", changes.get(changes.size() - 1).cursor())
                .execute();
          }
          return changes;
        });
  }

  private static Instant instant(OffsetDateTime value) {
    return value == null ? null : value.toInstant();
  }
}

package dev.privacykit.consent;

import dev.privacykit.audit.ExportText;
import dev.privacykit.policies.PolicySet;
import dev.privacykit.policies.Purpose;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.jdbi.v3.core.Handle;

/**
 * Tells the recipients of the policy of a rectification, erasure or restriction (GDPR Art. 19; DPDP
 * Act s.8(7)(b), s.12): in the step's own transaction, one notice per recipient of the purposes
 * concerned (every purpose of the policy unless the request names some), signed and sent to the
 * recipient's webhook through the outbox, and one tracking row per request and recipient ({@code
 * dsr_recipient_notices}) with the date its confirmation is due. A recipient without a webhook gets
 * a row without an event: it is listed to be told by hand, never skipped. A step that fails rolls
 * its notices back with it. Thread-safe (stateless beyond its configuration).
 */
final class RecipientNotices {
  /** The most payload the outbox stores; a longer purpose list is left out (meaning all). */
  private static final int MAX_PAYLOAD = 4000;

  private final DsrConfig config;

  RecipientNotices(DsrConfig config) {
    this.config = config;
  }

  /** The event a request of this type sends its recipients when carried out, or null. */
  static String eventType(RequestType type) {
    return switch (type) {
      case RECTIFICATION -> Outbox.SUBJECT_RECTIFIED;
      case ERASURE -> Outbox.SUBJECT_ERASED;
      case RESTRICTION -> Outbox.PROCESSING_RESTRICTED;
      default -> null;
    };
  }

  /**
   * Queues the notices of a rectification or restriction being fulfilled or an erasure being
   * carried out, in the step's transaction. A rectification is also announced to the tenant's other
   * webhooks that subscribe to {@code subject.rectified} (erasure and restriction are announced by
   * their steps).
   */
  void queue(RequestRow row, RequestStore.Changes changes, Instant now) {
    String type = eventType(row.type());
    if (type == null) {
      return;
    }
    if (row.type() == RequestType.RECTIFICATION) {
      changes.announce(
          row.tenant(),
          type,
          Outbox.payload(type, row.tenant(), row.subject(), null, row.id(), now),
          now);
    }
    if (config.policy == null) {
      return;
    }
    Instant due =
        now.plus(config.recipientPeriods.getOrDefault(row.regime(), java.time.Duration.ofDays(30)));
    Handle h = changes.handle();
    for (Map.Entry<String, TreeSet<String>> each : concerned(config.policy.get(), row).entrySet()) {
      String recipient = each.getKey();
      String purposes = String.join(" ", each.getValue());
      String webhook = RecipientLinks.webhookOf(h, row.tenant(), recipient).orElse(null);
      String event =
          webhook == null
              ? null
              : Outbox.addFor(
                  h,
                  row.tenant(),
                  webhook,
                  type,
                  payload(type, row, recipient, each.getValue(), due, now),
                  now);
      h.createUpdate(
              "INSERT INTO dsr_recipient_notices (request_id, recipient, tenant, event_type,"
                  + " purposes, webhook_id, outbox_id, created_at, due_at) VALUES (:r, :p, :t,"
                  + " :type, :purposes, :w, :o, :at, :due)")
          .bind("r", row.id())
          .bind("p", recipient)
          .bind("t", row.tenant())
          .bind("type", type)
          .bind("purposes", purposes.length() > 2000 ? null : purposes)
          .bind("w", webhook)
          .bind("o", event)
          .bind("at", now.atOffset(ZoneOffset.UTC))
          .bind("due", due.atOffset(ZoneOffset.UTC))
          .execute();
    }
  }

  /** Each recipient of the purposes the request concerns, with those purposes, by id. */
  static Map<String, TreeSet<String>> concerned(PolicySet policy, RequestRow row) {
    Map<String, TreeSet<String>> out = new TreeMap<>();
    for (Purpose purpose : policy.purposes().values()) {
      if (!row.purposes().isEmpty() && !row.purposes().contains(purpose.id())) {
        continue;
      }
      for (String recipient : purpose.recipients()) {
        out.computeIfAbsent(recipient, r -> new TreeSet<>()).add(purpose.id());
      }
    }
    return out;
  }

  /**
   * The notice: the fields every event carries, then the recipient, the purposes concerned, when
   * the confirmation is due and where to send it.
   */
  private static String payload(
      String type,
      RequestRow row,
      String recipient,
      TreeSet<String> purposes,
      Instant due,
      Instant now) {
    String common = Outbox.payload(type, row.tenant(), row.subject(), null, row.id(), now);
    StringBuilder list = new StringBuilder("[");
    for (String purpose : purposes) {
      list.append(list.length() > 1 ? "," : "").append(ExportText.json(purpose));
    }
    String tail =
        ",\"recipient\":"
            + ExportText.json(recipient)
            + ",\"request_type\":"
            + ExportText.json(row.type().name().toLowerCase(java.util.Locale.ROOT))
            + ",\"confirm_by\":"
            + ExportText.json(due.toString())
            + ",\"confirm_path\":"
            + ExportText.json("/v1/requests/" + row.id() + "/recipients/" + recipient + "/confirm")
            + ",\"purposes\":";
    String body = common.substring(0, common.length() - 1) + tail;
    String withList = body + list + "]}";
    // Too long to store: without the list the notice concerns every purpose of the recipient.
    return withList.length() <= MAX_PAYLOAD ? withList : body + "null}";
  }
}

package dev.privacykit.server.http;

import static dev.privacykit.server.http.Json.object;

import dev.privacykit.consent.DataSubjectRequest;
import dev.privacykit.consent.RecipientNotice;
import dev.privacykit.server.Services;
import java.util.List;
import java.util.Map;

/**
 * The recipients told of a request (GDPR Art. 19) as the request views show them: the fiduciary
 * sees the whole tracking row; the data principal sees who was told, by the recipient's name in the
 * policy, and where it stands (Art. 19's last sentence), never webhook ids or references.
 */
final class RecipientViews {
  private RecipientViews() {}

  static Map<String, Object> forFiduciary(RecipientNotice n, Services services) {
    return object(
        "recipient", n.recipient(),
        "name", services.recipientNotices.name(n.recipient()),
        "event_type", n.eventType(),
        "purposes", n.purposes(),
        "status", n.status(),
        "event_id", n.eventId(),
        "sent_at", n.sentAt(),
        "delivered_at", n.deliveredAt(),
        "due_at", n.dueAt(),
        "confirmed_at", n.confirmedAt(),
        "reference", n.reference(),
        "overdue", n.overdue());
  }

  static Map<String, Object> forPrincipal(RecipientNotice n, Services services) {
    return object(
        "recipient", n.recipient(),
        "name", services.recipientNotices.name(n.recipient()),
        "status", n.status(),
        "sent_at", n.sentAt(),
        "confirmed_at", n.confirmedAt(),
        "overdue", n.overdue());
  }

  /** The request's recipients for the fiduciary. */
  static List<Object> ofRequest(DataSubjectRequest request, Services services) {
    return Json.list(
        services.recipientNotices.of(request.tenant(), request.id()),
        n -> forFiduciary(n, services));
  }

  /** The request's recipients for the principal. */
  static List<Object> ofRequestForPrincipal(DataSubjectRequest request, Services services) {
    return Json.list(
        services.recipientNotices.of(request.tenant(), request.id()),
        n -> forPrincipal(n, services));
  }
}

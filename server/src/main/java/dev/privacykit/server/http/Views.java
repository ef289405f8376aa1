package dev.privacykit.server.http;

import static dev.privacykit.server.http.Json.object;

import dev.privacykit.audit.AuditLog;
import dev.privacykit.audit.AuditRecord;
import dev.privacykit.audit.Checkpoint;
import dev.privacykit.consent.ConsentEvent;
import dev.privacykit.consent.DataSubjectRequest;
import dev.privacykit.consent.WebhookDelivery;
import dev.privacykit.policies.ConsentAnswer;
import dev.privacykit.policies.Decision;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;

/** How the API's resources look in JSON (snake_case fields, enums in lower case). */
final class Views {
  private Views() {}

  static String lower(Enum<?> value) {
    return value == null ? null : value.name().toLowerCase(Locale.ROOT);
  }

  /** The consent-lookup contract that {@code RemoteConsentLookup} reads. */
  static Map<String, Object> answer(String purpose, ConsentAnswer answer) {
    return object(
        "purpose", purpose,
        "state", answer.state().name(),
        "notice_version", answer.noticeVersion(),
        "changed_at", answer.changedAt(),
        "expires_at", answer.expiresAt(),
        "explicit", answer.explicitOptIn(),
        "gpc_opt_out_at", answer.gpcOptOutAt(),
        "hold", hold(answer.hold()),
        "guardianship",
            answer.guardianship() == null
                ? null
                : object(
                    "kind", lower(answer.guardianship().kind()),
                    "consent_by_guardian", answer.guardianship().consentByGuardian()));
  }

  static Map<String, Object> hold(dev.privacykit.policies.ProcessingHold hold) {
    return hold == null
        ? null
        : object("kind", lower(hold.kind()), "since", hold.since(), "lifts_at", hold.liftsAt());
  }

  static Map<String, Object> event(ConsentEvent event) {
    return object(
        "event_id", event.eventId(),
        "subject", event.subject(),
        "purpose", event.purpose(),
        "state", event.state().name(),
        "notice_id", event.noticeId(),
        "notice_version", event.noticeVersion(),
        "language", event.language(),
        "lawful_basis", event.lawfulBasis(),
        "method", lower(event.method()),
        "acting_party", lower(event.actingParty()),
        "collected_at", event.evidence().collectedAt(),
        "received_at", event.receivedAt(),
        "valid_until", event.validUntil(),
        "notice_hash", event.provenance().noticeHash(),
        "guardian", event.provenance().guardian(),
        "consent_manager", event.provenance().consentManager(),
        "artefact", event.provenance().artefact());
  }

  static Map<String, Object> decision(Decision decision) {
    return object(
        "allowed", decision.allowed(),
        "reason", lower(decision.reason()),
        "lawful_basis", decision.basis() == null ? null : decision.basis().code(),
        "detail", decision.detail());
  }

  static Map<String, Object> request(DataSubjectRequest request) {
    return object(
        "id", request.id(),
        "subject", request.subject(),
        "type", lower(request.type()),
        "regime", request.regime().name(),
        "status", lower(request.status()),
        "received_at", request.receivedAt(),
        "due_at", request.dueAt(),
        "extended_months", request.extendedMonths(),
        "overdue", request.isOverdue(java.time.Instant.now()),
        "denial_reason", lower(request.denialReason()),
        "outcome_note", request.outcomeNote(),
        "purposes", request.purposes(),
        "filed_by", lower(request.filedBy()));
  }

  static Map<String, Object> record(AuditRecord record) {
    var entry = record.entry();
    return object(
        "seq", record.seq(),
        "recorded_at", record.recordedAt(),
        "actor", entry.actor(),
        "actor_role", entry.actorRole(),
        "subject", entry.subject(),
        "action", lower(entry.action()),
        "purpose", entry.purpose(),
        "legal_basis", entry.legalBasis(),
        "categories", entry.categories(),
        "recipient", entry.recipient(),
        "request_id", entry.requestId(),
        "outcome", lower(entry.outcome()),
        "submitted_by", entry.submittedBy(),
        "body_state", lower(record.body()),
        "leaf_hash", HexFormat.of().formatHex(record.leafHash()),
        "leaf_salt", record.leafSalt() == null ? null : HexFormat.of().formatHex(record.leafSalt()),
        "body_hash", record.bodyHash() == null ? null : HexFormat.of().formatHex(record.bodyHash()),
        "tenant", entry.tenant());
  }

  /**
   * A checkpoint with the log's verifier key and when it was signed (a checkpoint signed and stored
   * a moment ago by another process may not be readable yet: then now).
   */
  static Map<String, Object> checkpoint(Checkpoint checkpoint, AuditLog audit) {
    return object(
        "origin", checkpoint.origin(),
        "size", checkpoint.size(),
        "root", checkpoint.rootHex(),
        "note", checkpoint.note(),
        "verifier_key", audit.verifierKey(),
        "signed_at", audit.checkpointSignedAt(checkpoint.size()).orElseGet(Instant::now),
        "cosignatures", audit.publication().cosignatures(checkpoint.size()));
  }

  static Map<String, Object> delivery(WebhookDelivery delivery) {
    return object(
        "event_id", delivery.eventId(),
        "type", delivery.type(),
        "recipient_id", delivery.recipientId(),
        "status", delivery.status(),
        "attempts", delivery.attempts(),
        "next_attempt_at", delivery.nextAttemptAt(),
        "last_status", delivery.lastStatus(),
        "last_error", delivery.lastError(),
        "delivered_at", delivery.deliveredAt());
  }
}

package dev.privacykit.server.http;

import static dev.privacykit.server.http.Json.object;
import static dev.privacykit.server.http.Views.lower;

import dev.privacykit.consent.NominationEvent;
import dev.privacykit.consent.Nominee;
import java.util.List;
import java.util.Map;

/** How the nomination register looks in JSON (snake_case fields, enums in lower case). */
final class NominationViews {
  private NominationViews() {}

  static Map<String, Object> nominee(Nominee n) {
    return object(
        "id", n.id(),
        "principal", n.principal(),
        "nominee", n.nominee(),
        "relation", lower(n.relation()),
        "contact_reference", n.contactReference(),
        "status", n.isActive() ? "active" : "revoked",
        "added_at", n.addedAt(),
        "revoked_at", n.revokedAt(),
        "revoke_reason", n.revokeReason(),
        "evidence",
            object(
                "collected_at", n.evidence().collectedAt(),
                "channel", n.evidence().channel(),
                "ip_truncated", n.evidence().ipTruncated(),
                "user_agent_hash", n.evidence().userAgentHash(),
                "ui_version", n.evidence().uiVersion()));
  }

  static Map<String, Object> event(NominationEvent e) {
    return object(
        "id", e.id(),
        "principal", e.principal(),
        "kind", lower(e.kind()),
        "occurred_at", e.occurredAt(),
        "recorded_at", e.recordedAt(),
        "evidence_reference", e.evidenceReference(),
        "verified_by", e.verifiedBy(),
        "in_force", e.inForce(),
        "rescinded_at", e.rescindedAt(),
        "rescinded_by", e.rescindedBy(),
        "rescind_reason", e.rescindReason());
  }

  /** The register of one principal: nominees and events, with the history when asked. */
  static Map<String, Object> register(
      List<Nominee> nominees, List<NominationEvent> events, List<Map<String, Object>> history) {
    Map<String, Object> view =
        object(
            "nominees", Json.list(nominees, NominationViews::nominee),
            "events", Json.list(events, NominationViews::event));
    if (history != null) {
      view.put(
          "history",
          Json.list(
              history,
              row ->
                  object(
                      "step", row.get("step"),
                      "target_id", row.get("target_id"),
                      "actor", row.get("actor"),
                      "note", row.get("note"),
                      "at", RequestRoutes.at(row.get("at")))));
    }
    return view;
  }
}

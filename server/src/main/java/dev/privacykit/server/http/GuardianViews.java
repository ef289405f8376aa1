package dev.privacykit.server.http;

import static dev.privacykit.server.http.Json.object;

import dev.privacykit.consent.GuardianLink;
import dev.privacykit.consent.WardMarking;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** JSON views of guardianships: markings and guardian links. */
final class GuardianViews {
  private GuardianViews() {}

  static Map<String, Object> marking(WardMarking m) {
    return object(
        "id", m.id(),
        "subject", m.subject(),
        "kind", lower(m.kind()),
        "source", lower(m.source()),
        "reference", m.reference(),
        "until", m.until() == null ? null : m.until().toString(),
        "marked_at", m.markedAt(),
        "marked_by", m.markedBy(),
        "cleared_at", m.clearedAt(),
        "cleared_by", m.clearedBy(),
        "cleared_reason", m.clearedReason());
  }

  static Map<String, Object> link(GuardianLink l) {
    var v = l.verification();
    return object(
        "id", l.id(),
        "ward", l.ward(),
        "guardian", l.guardian(),
        "relation", lower(l.relation()),
        "verification",
            object(
                "method", lower(v.method()),
                "reference", v.reference(),
                "issuer", v.issuer(),
                "verified_at", v.verifiedAt(),
                "verified_by", v.verifiedBy()),
        "recorded_at", l.recordedAt(),
        "active", l.isActive(),
        "revoked_at", l.revokedAt(),
        "revoked_by", l.revokedBy(),
        "revoked_reason", l.revokedReason());
  }

  static Map<String, Object> guardianship(
      String subject, WardMarking inForce, List<WardMarking> all, List<GuardianLink> links) {
    return object(
        "subject",
        subject,
        "marking",
        inForce == null ? null : marking(inForce),
        "markings",
        Json.list(all, GuardianViews::marking),
        "guardians",
        Json.list(links, GuardianViews::link));
  }

  private static String lower(Enum<?> e) {
    return e == null ? null : e.name().toLowerCase(Locale.ROOT);
  }
}

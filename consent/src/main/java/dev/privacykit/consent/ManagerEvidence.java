package dev.privacykit.consent;

import java.util.ArrayList;
import java.util.List;

/**
 * The Consent Manager artefacts of a subject as a section of her access package ({@code
 * consent_manager_artefacts}): which manager acted for her, when, for what, and the artefact itself
 * with its SHA-256, so she (or an auditor) can check its signature with the manager's key.
 * Thread-safe.
 */
final class ManagerEvidence implements SubjectDataContributor {
  private final ConsentManagers managers;

  ManagerEvidence(ConsentManagers managers) {
    this.managers = managers;
  }

  @Override
  public String name() {
    return "consent_managers";
  }

  /** Only a tenant that accepts Consent Managers (or did) has such a section. */
  @Override
  public boolean appliesTo(String tenant) {
    return !managers.list(tenant).isEmpty() || managers.hasArtefacts(tenant);
  }

  @Override
  public Contribution contribute(String tenant, String subject, RequestType type) {
    List<List<String>> rows = new ArrayList<>();
    for (ManagerArtefact a : managers.artefacts(tenant, subject)) {
      rows.add(
          List.of(
              a.consentManager(),
              a.id(),
              a.jti(),
              a.action(),
              String.join(" ", a.purposes()),
              a.issuedAt().toString(),
              a.receivedAt().toString(),
              a.sha256(),
              a.jws()));
    }
    return Contribution.of(
        new Contribution.Section(
            "consent_manager_artefacts",
            List.of(
                "consent_manager",
                "artefact",
                "jti",
                "action",
                "purposes",
                "issued_at",
                "received_at",
                "sha256",
                "jws"),
            rows));
  }
}

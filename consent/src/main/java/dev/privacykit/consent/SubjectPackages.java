package dev.privacykit.consent;

import dev.privacykit.audit.ExportFormat;
import java.io.IOException;
import java.io.Writer;
import java.time.Instant;
import java.util.List;

/**
 * Chooses what a request's package is: the portability export (what the subject provided) for a
 * portability request, the access package (everything, the audit report included) for an access
 * request; both with the host backend's contributions for that request type.
 */
final class SubjectPackages {
  private SubjectPackages() {}

  static void write(
      DataSubjectRequest request, DsrConfig config, ExportFormat format, Writer out, Instant now)
      throws IOException {
    List<Contributions.Outcome> hostData =
        Contributions.gather(
            config.contributors, request.tenant(), request.subject(), request.type());
    if (request.type() == RequestType.PORTABILITY) {
      PortabilityExport.write(
          request, config.ledger, config.identifiers, hostData, format, out, now);
    } else {
      AccessPackage.write(
          request,
          config.ledger,
          config.audit.forTenant(request.tenant()),
          format,
          out,
          now,
          hostData);
    }
  }
}

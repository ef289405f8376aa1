package dev.privacykit.examples.readme;

import dev.privacykit.audit.AuditLog;
import dev.privacykit.audit.ExportFormat;
import dev.privacykit.consent.ConsentLedger;
import dev.privacykit.consent.Contribution;
import dev.privacykit.consent.DataSubjectRequest;
import dev.privacykit.consent.DataSubjectRequests;
import dev.privacykit.consent.RequestType;
import dev.privacykit.consent.SubjectDataContributor;
import dev.privacykit.consent.SubjectIdentifiers;
import dev.privacykit.policies.Regime;
import dev.privacykit.storage.Database;
import java.io.IOException;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.util.List;

/** consent/README.md's contributor snippet, compiled and run by ReadmeSnippetsTest. */
public final class PackagesReadme {
  private PackagesReadme() {}

  /** An order as the host backend keeps it. */
  public record Order(String id, String shippingAddress, BigDecimal total) {}

  /** Where the host backend keeps its orders. */
  public interface OrderRepository {
    /** The subject's orders. */
    List<Order> forSubject(String tenant, String subject);
  }

  /** Runs the snippet; returns the portability export it writes. */
  public static String run(
      Database db,
      AuditLog auditLog,
      ConsentLedger ledger,
      SubjectIdentifiers identifiers,
      OrderRepository orderRepository)
      throws IOException {
    StringWriter out = new StringWriter();
    // readme:begin
    final class Orders implements SubjectDataContributor {
      public String name() {
        return "orders";
      }

      public Contribution contribute(String tenant, String subject, RequestType type) {
        List<List<String>> rows =
            orderRepository.forSubject(tenant, subject).stream()
                .map(o -> List.of(o.id(), o.shippingAddress(), o.total().toPlainString()))
                .toList();
        // portability: only what the subject provided; access: may add what you derived
        return Contribution.of(
            Contribution.Section.of("orders", List.of("id", "address", "total"), rows));
      }
    }
    DataSubjectRequests dsr =
        DataSubjectRequests.open(
            db,
            c ->
                c.audit(auditLog)
                    .ledger(ledger)
                    .identifiers(
                        identifiers) // e-mail addresses and phone numbers go into portability
                    // exports
                    .contributor(new Orders()) // or .discoverContributors(): META-INF/services/...
            );
    DataSubjectRequest r =
        dsr.submit("acme", "subj_8f3a", RequestType.PORTABILITY, Regime.GDPR, true);
    dsr.writeAccessPackage(r.id(), ExportFormat.JSON, out); // access package, or portability export
    // readme:end
    return out.toString();
  }
}

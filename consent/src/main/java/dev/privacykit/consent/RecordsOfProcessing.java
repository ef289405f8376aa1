package dev.privacykit.consent;

import dev.privacykit.audit.AuditLog;
import dev.privacykit.audit.AuditRouter;
import dev.privacykit.audit.ProcessingSummary;
import dev.privacykit.policies.DataCategory;
import dev.privacykit.policies.PolicySet;
import dev.privacykit.policies.Purpose;
import dev.privacykit.policies.Recipient;
import dev.privacykit.policies.RetentionRule;
import java.io.IOException;
import java.io.Writer;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The record of processing activities (GDPR Art. 30(1)(a)–(g)) computed from the policy and the
 * audit log: controller, purposes with their data subjects, categories, recipients and retention,
 * recipients with their countries and transfer safeguards, security measures, and the processing
 * the audit log actually shows per purpose × category × recipient over a window, computed by {@link
 * dev.privacykit.audit.AuditReports#processingSummary} against a checkpoint it signs. JSON here;
 * the service renders HTML from the same {@link ProcessingRecord}. Thread-safe.
 */
public final class RecordsOfProcessing {
  /**
   * What PrivacyKit itself enforces, listed in every record (Art. 30(1)(g)); the policy's {@code
   * security_measures:} follow.
   */
  public static final List<String> BUILT_IN_MEASURES =
      List.of(
          "Field-level encryption with AES-256-GCM (AES-256-SIV for searchable fields), each"
              + " ciphertext bound to its tenant, table, column and row",
          "One data key per data subject; erasure deletes the key (crypto-shredding), so every"
              + " copy of that subject's encrypted data, backups included, becomes unreadable",
          "Tamper-evident access audit log: append-only in the database, an RFC 6962 Merkle tree"
              + " with Ed25519-signed checkpoints that can be published to witnesses",
          "Every API call authenticated with a JWT (algorithm allowlist; issuer, audience and"
              + " expiry checked) and authorised by scope, per tenant");

  private final Supplier<PolicySet> policy;
  private final AuditRouter audit;
  private final Clock clock;

  private RecordsOfProcessing(Supplier<PolicySet> policy, AuditRouter audit, Clock clock) {
    this.policy = policy;
    this.audit = audit;
    this.clock = clock;
  }

  /** Records over a fixed policy. */
  public static RecordsOfProcessing of(PolicySet policy, AuditLog audit) {
    return of(policy, AuditRouter.of(audit));
  }

  /** Records over a fixed policy, each tenant's processing read from its own log. */
  public static RecordsOfProcessing of(PolicySet policy, AuditRouter audit) {
    Objects.requireNonNull(policy, "policy");
    return of(() -> policy, audit, Clock.systemUTC());
  }

  /** Records over the policy {@code policy} gives at each call (a {@code LivePolicy}'s current). */
  public static RecordsOfProcessing of(Supplier<PolicySet> policy, AuditRouter audit, Clock clock) {
    return new RecordsOfProcessing(
        Objects.requireNonNull(policy, "policy"),
        Objects.requireNonNull(audit, "audit"),
        Objects.requireNonNull(clock, "clock"));
  }

  /**
   * The record for {@code tenant}, its processing counted over [{@code from}, {@code to}).
   *
   * @throws IllegalArgumentException if {@code from} is after {@code to}
   */
  public ProcessingRecord compute(String tenant, Instant from, Instant to) {
    Objects.requireNonNull(tenant, "tenant");
    if (from.isAfter(to)) {
      throw new IllegalArgumentException("from must not be after to");
    }
    PolicySet set = policy.get();
    Instant now = clock.instant();
    ProcessingSummary seen = audit.forTenant(tenant).reports().processingSummary(tenant, from, to);
    return new ProcessingRecord(
        tenant,
        set.name(),
        set.regime(),
        now,
        set.controller().orElse(null),
        activities(set),
        recipients(set),
        measures(set),
        seen);
  }

  /** Writes {@code record} as one JSON document (the HTTP API's schema). */
  public void writeJson(ProcessingRecord record, Writer out) throws IOException {
    RecordsJson.write(record, audit.forTenant(record.tenant()), out);
  }

  private static List<ProcessingRecord.Activity> activities(PolicySet set) {
    List<ProcessingRecord.Activity> out = new ArrayList<>();
    for (Purpose purpose : set.purposes().values()) {
      List<String> categoryIds = purpose.categories().stream().sorted().toList();
      List<ProcessingRecord.Category> categories = new ArrayList<>();
      List<ProcessingRecord.Retention> retention = new ArrayList<>();
      for (String id : categoryIds) {
        DataCategory category = set.category(id).orElse(null);
        categories.add(
            new ProcessingRecord.Category(
                id,
                category == null ? id : category.title(),
                category == null ? null : category.special()));
        RetentionRule rule = set.retentionFor(purpose.id(), id).orElse(null);
        retention.add(
            rule == null
                ? new ProcessingRecord.Retention(id, null, null, null)
                : new ProcessingRecord.Retention(
                    id,
                    rule.period().toString(),
                    rule.action().name().toLowerCase(Locale.ROOT),
                    rule.purpose() != null ? "purpose" : "category:" + rule.category()));
      }
      out.add(
          new ProcessingRecord.Activity(
              purpose.id(),
              purpose.title(),
              purpose.description(),
              purpose.basis().code(),
              purpose.basis().citation(),
              purpose.art9Condition() == null ? null : purpose.art9Condition().code(),
              purpose.subjects(),
              categories,
              purpose.recipients(),
              retention));
    }
    return out;
  }

  private static List<ProcessingRecord.Disclosure> recipients(PolicySet set) {
    List<ProcessingRecord.Disclosure> out = new ArrayList<>();
    for (Recipient recipient : set.recipients().values()) {
      List<String> purposes =
          set.purposes().values().stream()
              .filter(p -> p.recipients().contains(recipient.id()))
              .map(Purpose::id)
              .toList();
      out.add(
          new ProcessingRecord.Disclosure(
              recipient.id(),
              recipient.name(),
              recipient.role(),
              recipient.country(),
              set.isThirdCountryTransfer(recipient),
              recipient.safeguard() == null ? null : recipient.safeguard().code(),
              recipient.safeguard() == null ? null : recipient.safeguard().citation(),
              purposes));
    }
    return out;
  }

  private static List<ProcessingRecord.Measure> measures(PolicySet set) {
    List<ProcessingRecord.Measure> out = new ArrayList<>();
    BUILT_IN_MEASURES.forEach(m -> out.add(new ProcessingRecord.Measure(m, "privacykit")));
    set.securityMeasures().forEach(m -> out.add(new ProcessingRecord.Measure(m, "policy")));
    return out;
  }
}

package dev.privacykit.audit;

import java.util.List;
import java.util.Set;

/**
 * Who accessed a data subject's personal data, when, for what, on which basis, shared with whom
 * (GDPR Art. 15(1)(c), DPDP s.11), computed against a signed checkpoint: every entry listed is in
 * the tree that checkpoint commits to.
 *
 * @param tenant the tenant
 * @param subject the subject's pseudonymous reference
 * @param checkpoint the checkpoint the report was computed against
 * @param entries the subject's entries up to the checkpoint, oldest first
 * @param purposes the purposes the data was processed for
 * @param recipients whom it was disclosed to
 * @param actors who accessed it
 */
public record SubjectAccessReport(
    String tenant,
    String subject,
    Checkpoint checkpoint,
    List<AuditRecord> entries,
    Set<String> purposes,
    Set<String> recipients,
    Set<String> actors) {}

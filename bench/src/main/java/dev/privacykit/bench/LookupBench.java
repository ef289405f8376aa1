package dev.privacykit.bench;

import dev.privacykit.audit.AuditLog;
import dev.privacykit.audit.CheckpointSigner;
import dev.privacykit.consent.ActingParty;
import dev.privacykit.consent.ConsentChange;
import dev.privacykit.consent.ConsentLedger;
import dev.privacykit.consent.GuardianLink;
import dev.privacykit.consent.GuardianVerification;
import dev.privacykit.consent.Guardians;
import dev.privacykit.consent.Provenance;
import dev.privacykit.consent.WardMarking;
import dev.privacykit.policies.Guardianship;
import dev.privacykit.policies.PolicyPacks;
import dev.privacykit.storage.Database;
import dev.privacykit.storage.spi.Jdbis;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import org.jdbi.v3.core.Jdbi;

/**
 * What a cache miss of the consent lookup costs ({@code ConsentLedger.current}: the projection row,
 * any restriction or objection, and whether the subject is a ward and her guardian's link still
 * stands), for subjects who are not wards and for children whose parent consented, against the same
 * pool reading only the projection row. Local PostgreSQL, 4 threads.
 */
final class LookupBench {
  private static final int SUBJECTS = 1_000;
  private static final int THREADS = 4;
  private static final int SECONDS = 3;
  private static final int ROUNDS = 5;

  private LookupBench() {}

  static void run(Database db) throws Exception {
    try (AuditLog audit =
            AuditLog.open(db, c -> c.origin("bench/log").signer(CheckpointSigner.generate("b")));
        ConsentLedger ledger =
            ConsentLedger.open(db, c -> c.policy(PolicyPacks.dpdp()).audit(audit))) {
      Guardians guardians = Guardians.open(db, c -> c.audit(audit).ledger(ledger));
      GuardianVerification token =
          new GuardianVerification(
              GuardianVerification.Method.VIRTUAL_TOKEN, "tok", "digilocker", Instant.now(), "b");
      for (int i = 0; i < SUBJECTS; i++) {
        ledger.give(ConsentChange.of("bench", "adult_" + i, "account", 2, "en"));
        guardians.mark(
            "bench",
            "kid_" + i,
            Guardianship.Kind.CHILD,
            WardMarking.Source.AGE_CHECK,
            null,
            null,
            "b");
        guardians.link("bench", "kid_" + i, "mum_" + i, GuardianLink.Relation.PARENT, token);
        ledger.give(
            ConsentChange.of("bench", "kid_" + i, "account", 2, "en")
                .withActingParty(ActingParty.GUARDIAN)
                .withProvenance(Provenance.NONE.withGuardian("mum_" + i, null)));
      }
      Jdbi jdbi = Jdbis.of(db);
      for (String who : new String[] {"adult_", "kid_"}) {
        Paired.Figure figure =
            Paired.measure(
                "consent.uncached_lookup." + who.replace("_", ""),
                ROUNDS,
                () ->
                    ConsentBench.loopFor(
                        THREADS, i -> ledger.current("bench", who + pick(), "account"), SECONDS, 1),
                () ->
                    ConsentBench.loopFor(
                        THREADS,
                        i ->
                            jdbi.withHandle(
                                h ->
                                    h.createQuery(
                                            "SELECT state, notice_version, changed_at, expires_at,"
                                                + " explicit, gpc_opt_out_at FROM consent_state"
                                                + " WHERE tenant = :t AND subject = :s AND purpose = :p")
                                        .bind("t", "bench")
                                        .bind("s", who + pick())
                                        .bind("p", "account")
                                        .mapToMap()
                                        .findOne()),
                        SECONDS,
                        1));
        System.out.printf(
            Locale.ROOT,
            "{\"bench\": \"consent.uncached_lookup\", \"subjects\": \"%s\", \"threads\": %d,"
                + " \"baseline\": \"projection_row_select\", %s}%n",
            who.equals("kid_") ? "children_with_parent_consent" : "not_wards",
            THREADS,
            figure.fields());
      }
    }
  }

  private static int pick() {
    return ThreadLocalRandom.current().nextInt(SUBJECTS);
  }
}

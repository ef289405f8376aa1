package dev.privacykit.bench;

import dev.privacykit.audit.AuditLog;
import dev.privacykit.audit.CheckpointSigner;
import dev.privacykit.consent.ConsentChange;
import dev.privacykit.consent.ConsentLedger;
import dev.privacykit.crypto.RootKey;
import dev.privacykit.crypto.RootKeys;
import dev.privacykit.crypto.SubjectKeys;
import dev.privacykit.policies.ConsentAnswer;
import dev.privacykit.policies.ConsentLookup;
import dev.privacykit.policies.PolicyPacks;
import dev.privacykit.storage.Database;
import dev.privacykit.storage.spi.Jdbis;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code bench/run consent}: the cached consent check in process against a bare ConcurrentHashMap
 * lookup of the same shape; an uncached lookup ({@link LookupBench}) against a raw read of the
 * projection row; durable consent writes on local PostgreSQL (fsync on) with 8 writers, with and
 * without the audit entry each change also writes, against raw single-row INSERT transactions of
 * the same shape.
 */
final class ConsentBench {
  private static final int SECONDS = 5;

  private static final int ROUNDS = 5;

  private ConsentBench() {}

  record Key(String tenant, String subject, String purpose) {}

  static void run() throws Exception {
    String url = BenchMain.postgresUrl();
    String schema = "pk_bench_consent_" + Long.toHexString(System.nanoTime());
    try (Database db = Database.open(url, c -> c.schema(schema).maximumPoolSize(48))) {
      db.migrate();
      try {
        cachedCheck(db);
        LookupBench.run(db);
        writes(db);
      } finally {
        Jdbis.of(db).useHandle(h -> h.execute("DROP SCHEMA " + schema + " CASCADE"));
      }
    }
  }

  private static void cachedCheck(Database db) throws Exception {
    try (ConsentLedger ledger = ConsentLedger.open(db, c -> c.policy(PolicyPacks.gdpr()))) {
      for (int i = 0; i < 1_000; i++) {
        ledger.give(ConsentChange.of("acme", "subj_" + i, "email_marketing", 2, "en"));
      }
      ConsentLookup lookup = ledger.lookup();
      ConcurrentHashMap<Key, ConsentAnswer> bare = new ConcurrentHashMap<>();
      for (int i = 0; i < 1_000; i++) {
        bare.put(
            new Key("acme", "subj_" + i, "email_marketing"),
            lookup.lookup("acme", "subj_" + i, "email_marketing"));
      }
      String[] subjects = new String[1_000];
      for (int i = 0; i < subjects.length; i++) {
        subjects[i] = "subj_" + i;
      }
      for (int threads : new int[] {1, 2}) {
        int n = threads;
        loopFor(n, i -> bare.get(new Key("acme", subjects[i % 1_000], "email_marketing")), 2);
        loopFor(n, i -> lookup.lookup("acme", subjects[i % 1_000], "email_marketing"), 2);
        Paired.Figure figure =
            Paired.measure(
                "consent.cached_check",
                ROUNDS,
                () ->
                    loopFor(
                        n,
                        i -> lookup.lookup("acme", subjects[i % 1_000], "email_marketing"),
                        SECONDS),
                () ->
                    loopFor(
                        n,
                        i -> bare.get(new Key("acme", subjects[i % 1_000], "email_marketing")),
                        SECONDS));
        System.out.printf(
            Locale.ROOT,
            "{\"bench\": \"consent.cached_check\", \"threads\": %d, \"baseline\": \"bare_concurrent_hash_map\", %s}%n",
            threads,
            figure.fields());
      }
    }
  }

  private static double loopFor(int threads, java.util.function.IntFunction<Object> op, int seconds)
      throws Exception {
    return loopFor(threads, op, seconds, 1_000);
  }

  /**
   * Checks the clock every {@code chunk} operations: 1 for slow operations, so counts are exact.
   */
  static double loopFor(
      int threads, java.util.function.IntFunction<Object> op, int seconds, int chunk)
      throws Exception {
    AtomicBoolean stop = new AtomicBoolean();
    AtomicLong total = new AtomicLong();
    List<Thread> workers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      Thread worker =
          new Thread(
              () -> {
                long n = 0;
                Object sink = null;
                while (!stop.get()) {
                  for (int i = 0; i < chunk; i++) {
                    sink = op.apply(i);
                  }
                  n += chunk;
                }
                total.addAndGet(n + (sink == null ? 1 : 0));
              });
      workers.add(worker);
      worker.start();
    }
    Thread.sleep(seconds * 1_000L);
    stop.set(true);
    for (Thread worker : workers) {
      worker.join();
    }
    return total.get() / (double) seconds;
  }

  private static void writes(Database db) throws Exception {
    RootKey root = RootKeys.ephemeral();
    int writers = Integer.getInteger("bench.consent.writers", 32);
    AtomicLong counter = new AtomicLong();
    // the baseline: one row per transaction, of the same shape, same threads
    org.jdbi.v3.core.Jdbi jdbi = Jdbis.of(db);
    jdbi.useHandle(h -> h.execute("CREATE TABLE raw_consents (LIKE consent_events INCLUDING ALL)"));
    java.util.function.IntFunction<Object> rawInsert =
        i -> {
          long n = counter.incrementAndGet();
          jdbi.useTransaction(
              h ->
                  h.createUpdate(
                          "INSERT INTO raw_consents (event_id, tenant, subject, purpose, state, notice_id,"
                              + " notice_version, language, lawful_basis, method, acting_party, collected_at, received_at) VALUES (:id, 'acme', :s,"
                              + " 'email_marketing', 'GIVEN', 'marketing-notice', 2, 'en', 'gdpr:consent', 'FORM', 'SELF', now(), now())")
                      .bind("id", java.util.UUID.randomUUID().toString())
                      .bind("s", "raw_" + n)
                      .execute());
          return null;
        };
    try (ConsentLedger ledger = ConsentLedger.open(db, c -> c.policy(PolicyPacks.gdpr()))) {
      pairedWrites("consent.durable_write", "w_", ledger, writers, counter, rawInsert);
    }
    try (AuditLog audit =
            AuditLog.open(
                db,
                c ->
                    c.origin("bench/audit")
                        .signer(CheckpointSigner.generate("bench/audit"))
                        .subjectKeys(SubjectKeys.open(db, root)));
        ConsentLedger ledger =
            ConsentLedger.open(db, c -> c.policy(PolicyPacks.gdpr()).audit(audit))) {
      pairedWrites("consent.durable_write_audited", "a_", ledger, writers, counter, rawInsert);
    }
  }

  /** Durable gives through {@code ledger} paired round by round with the raw single-row insert. */
  private static void pairedWrites(
      String bench,
      String prefix,
      ConsentLedger ledger,
      int writers,
      AtomicLong counter,
      java.util.function.IntFunction<Object> rawInsert)
      throws Exception {
    Paired.Figure figure =
        Paired.measure(
            bench,
            ROUNDS,
            () ->
                loopFor(
                    writers,
                    i ->
                        ledger.give(
                            ConsentChange.of(
                                "acme",
                                prefix + counter.incrementAndGet(),
                                "email_marketing",
                                2,
                                "en")),
                    SECONDS,
                    1),
            () -> loopFor(writers, rawInsert, SECONDS, 1));
    writeLine(bench, writers, figure);
  }

  private static void writeLine(String bench, int writers, Paired.Figure figure) {
    System.out.printf(
        Locale.ROOT,
        "{\"bench\": \"%s\", \"writers\": %d, \"baseline\": \"raw_single_row_insert\", %s}%n",
        bench,
        writers,
        figure.fields());
  }
}

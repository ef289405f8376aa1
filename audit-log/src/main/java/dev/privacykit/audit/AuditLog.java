package dev.privacykit.audit;

import dev.privacykit.audit.internal.AuditStore;
import dev.privacykit.audit.internal.CheckpointStore;
import dev.privacykit.audit.internal.CosignatureStore;
import dev.privacykit.audit.internal.EntryStore;
import dev.privacykit.audit.internal.ProofBuilder;
import dev.privacykit.audit.internal.VerificationStore;
import dev.privacykit.storage.Database;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * The append-only, tamper-evident access log: who accessed whose personal data, when, why, on which
 * basis, with what outcome.
 *
 * <pre>{@code
 * AuditLog log = AuditLog.open(database, c -> c.origin("audit.example.com/log")
 *     .signer(CheckpointSigner.open(database, rootKey, "audit.example.com/log"))
 *     .subjectKeys(subjectKeys));
 * long seq = log.append(AuditEntry.builder("acme", "svc:orders", Action.READ)
 *     .subject("subj_8f3a").purpose("order_fulfilment").build()).join();
 * }</pre>
 *
 * <p>Entries form an RFC 6962 Merkle tree whose every complete subtree is stored; checkpoints (C2SP
 * signed notes, Ed25519) are signed at least once a second while entries flow. {@link #append}
 * completes only after the entry's transaction commits. Several processes may share one PostgreSQL:
 * they take turns on the tree head's row lock, so seq stays gapless.
 *
 * <h2>Security</h2>
 *
 * The database rejects UPDATE, DELETE and TRUNCATE on the log's tables (triggers, ENABLE ALWAYS on
 * PostgreSQL). A superuser can disable them; {@link #verify()} then finds the change at its seq,
 * and signed checkpoints kept outside the database prove what the log held. Bodies are encrypted
 * under each subject's key: shredding the key leaves the entry verifiable but its body unreadable.
 *
 * <p>Thread-safe.
 */
public final class AuditLog implements AutoCloseable {
  private static final java.util.regex.Pattern IDEMPOTENCY_KEY =
      java.util.regex.Pattern.compile("[A-Za-z0-9._:-]{1,128}");
  final AuditStore store;
  private final EntryStore entries;
  private final CheckpointStore checkpoints;
  private final VerificationStore verifications;
  final AuditLogConfig config;
  private final BatchWriter writer;
  private final AuditPublication publication;

  private final ReplicaReads reads;
  private final RecordReader records;

  private AuditLog(Database database, AuditLogConfig config) {
    this.store = new AuditStore(database);
    this.entries = new EntryStore(store);
    this.reads = new ReplicaReads(database, entries, config);
    this.records = new RecordReader(config);
    this.checkpoints = new CheckpointStore(store);
    this.verifications = new VerificationStore(store);
    this.config = config;
    this.writer = new BatchWriter(store, checkpoints, config);
    this.publication =
        new AuditPublication(
            this,
            new CosignatureStore(store),
            config.witnesses,
            config.witnessQuorum,
            config.publishInterval);
  }

  /**
   * Opens the log in a migrated database and starts its writer.
   *
   * @throws IllegalArgumentException if the origin or signer is missing
   */
  public static AuditLog open(Database database, Consumer<AuditLogConfig> configure) {
    AuditLogConfig config = new AuditLogConfig();
    configure.accept(config);
    if (config.origin == null || config.signer == null) {
      throw new IllegalArgumentException("an audit log needs an origin and a checkpoint signer");
    }
    AuditLog log = new AuditLog(database, config);
    log.writer.start();
    log.publication.start();
    return log;
  }

  /**
   * Holds room in the queue for one entry of {@code tenant} before the work it records is done, so
   * that the work is refused (the caller answers 503) rather than done unrecorded when the log
   * cannot take the entry. Use the reservation once ({@link Reservation#append}) or close it.
   *
   * @throws AuditLogException.Overloaded when the queue, or the tenant's share of it ({@link
   *     AuditLogConfig#tenantShare}), is full
   * @throws AuditLogException.Unavailable when the last write failed and the database has not
   *     answered since
   */
  public Reservation reserve(String tenant) {
    writer.reserve(tenant);
    return new Reservation(tenant);
  }

  /** Room for one entry of one tenant in the queue, held by {@link #reserve}. Not thread-safe. */
  public final class Reservation implements AutoCloseable {
    private final String tenant;
    private boolean used;

    private Reservation(String tenant) {
      this.tenant = tenant;
    }

    /** The tenant the room is held for. */
    public String tenant() {
      return tenant;
    }

    /**
     * Queues the entry into the held room: it cannot be refused for lack of room. The future
     * completes with the seq once committed.
     *
     * @throws IllegalArgumentException if the entry is another tenant's
     * @throws IllegalStateException if the reservation was used or closed
     */
    public CompletableFuture<Long> append(AuditEntry entry) {
      if (!entry.tenant().equals(tenant)) {
        throw new IllegalArgumentException("the reservation is for another tenant");
      }
      if (used) {
        throw new IllegalStateException("a reservation holds room for one entry");
      }
      used = true;
      return writer.submitReserved(entry).thenApply(seqs -> seqs.get(0));
    }

    /** Gives the room back if it was not used. */
    @Override
    public void close() {
      if (!used) {
        used = true;
        writer.unreserve(tenant);
      }
    }
  }

  /**
   * Queues an entry. The future completes with the entry's seq once it is committed, or fails with
   * {@link AuditLogException.Overloaded} at once when the queue is full, or with another {@link
   * AuditLogException} if it could not be written.
   */
  public CompletableFuture<Long> append(AuditEntry entry) {
    return append(entry, null);
  }

  /**
   * Queues an entry under an idempotency key (1 to 128 of {@code [A-Za-z0-9._:-]}, per tenant): a
   * replay of the same entry with the same key completes with the original seq and appends nothing;
   * the key with a different entry fails with {@link AuditLogException.IdempotencyConflict}. {@code
   * null} appends without a key.
   */
  public CompletableFuture<Long> append(AuditEntry entry, String idempotencyKey) {
    List<String> keys = new ArrayList<>(1);
    keys.add(idempotencyKey);
    return appendAll(List.of(entry), keys).thenApply(seqs -> seqs.get(0));
  }

  /**
   * Queues entries as one unit: they are written in one transaction, all or none; the future
   * completes with their seqs in order (replayed keys give their original seqs). A group that does
   * not fit in the queue is refused whole ({@link AuditLogException.Overloaded}); one conflicting
   * key fails the whole group ({@link AuditLogException.IdempotencyConflict}).
   *
   * @param keys one idempotency key per entry, each possibly null; or an empty list for none
   */
  public CompletableFuture<List<Long>> appendAll(List<AuditEntry> entries, List<String> keys) {
    if (!keys.isEmpty() && keys.size() != entries.size()) {
      throw new IllegalArgumentException("give one idempotency key per entry, or none");
    }
    for (int i = 0; i < keys.size(); i++) {
      String key = keys.get(i);
      if (key != null && !IDEMPOTENCY_KEY.matcher(key).matches()) {
        throw new IllegalArgumentException(
            "idempotency key of entry " + i + " must be 1 to 128 of A-Z a-z 0-9 . _ : -");
      }
    }
    for (AuditEntry entry : entries) {
      if (entry.body() != null && config.subjectKeys == null) {
        return CompletableFuture.failedFuture(
            new AuditLogException(
                "this audit log has no SubjectKeys, so entries cannot carry bodies"));
      }
    }
    List<String> padded = keys.isEmpty() ? new ArrayList<>() : new ArrayList<>(keys);
    while (padded.size() < entries.size()) {
      padded.add(null);
    }
    return writer.submit(List.copyOf(entries), padded);
  }

  /**
   * Completes once every entry appended before this call is committed (or has failed): a read of
   * the log made after it sees them. The HTTP API's audit reads call it first, so a report asked
   * right after a request shows that request.
   */
  public CompletableFuture<Void> sync() {
    return writer.submit(List.of(), List.of()).thenApply(seqs -> null);
  }

  /** Reports and exports over this log. */
  public AuditReports reports() {
    return new AuditReports(this, reads::store);
  }

  /**
   * Whether the log takes entries: false after a write failed, until the database answers again
   * (the writer asks every 250 ms). Readiness probes read it.
   */
  public boolean isAvailable() {
    return !writer.failing();
  }

  /** Entries waiting to be written, for metrics. */
  public int queueDepth() {
    return writer.queueDepth();
  }

  /** How many entries may wait to be written ({@link AuditLogConfig#queueCapacity}). */
  public int queueCapacity() {
    return config.queueCapacity;
  }

  /** The size of the last batch written, for metrics. */
  public int lastBatchSize() {
    return writer.lastBatchSize();
  }

  /** The verifier key auditors keep to check checkpoints offline. */
  public String verifierKey() {
    return config.pinnedVerifierKey != null
        ? config.pinnedVerifierKey
        : config.signer.verifierKey();
  }

  /** The log's current size (entries committed). */
  public long size() {
    return store.state().size();
  }

  /** Signs a checkpoint of the log as it is now and returns it. */
  public Checkpoint checkpoint() {
    return writer.sign(store.state());
  }

  /** The newest stored checkpoint. */
  public Optional<Checkpoint> latestCheckpoint() {
    return checkpoints.latestNote().map(note -> Checkpoint.verify(note, verifierKey()));
  }

  /** The stored checkpoint of exactly {@code size} entries. */
  public Optional<Checkpoint> checkpointAt(long size) {
    return checkpoints.noteAt(size).map(note -> Checkpoint.verify(note, verifierKey()));
  }

  /** When the stored checkpoint of exactly {@code size} entries was signed. */
  public Optional<java.time.Instant> checkpointSignedAt(long size) {
    return checkpoints.signedAt(size);
  }

  /**
   * Proves that entry {@code seq} is in the tree of {@code treeSize} entries.
   *
   * @throws IllegalArgumentException if {@code seq} is not below {@code treeSize} or the tree is
   *     larger than the log
   */
  public InclusionProof inclusionProof(long seq, long treeSize) {
    if (seq < 0 || seq >= treeSize) {
      throw new IllegalArgumentException("seq must be at least 0 and below the tree size");
    }
    ProofBuilder.Node leafNode = new ProofBuilder.Node(0, seq);
    return store
        .jdbi()
        .withHandle(
            h -> {
              Map<ProofBuilder.Node, byte[]> fetched = new java.util.HashMap<>();
              ProofBuilder builder =
                  new ProofBuilder(
                      wanted -> {
                        java.util.Set<ProofBuilder.Node> all =
                            new java.util.LinkedHashSet<>(wanted);
                        all.add(leafNode);
                        fetched.putAll(store.nodes(h, all));
                        return fetched;
                      });
              List<byte[]> path;
              try {
                path = builder.inclusion(seq, treeSize);
              } catch (IllegalStateException e) {
                throw new IllegalArgumentException("the tree size is larger than the log");
              }
              if (!fetched.containsKey(leafNode)) {
                fetched.putAll(store.nodes(h, java.util.Set.of(leafNode)));
              }
              return new InclusionProof(seq, treeSize, fetched.get(leafNode), path);
            });
  }

  /** Proves that the first {@code fromSize} entries are a prefix of the first {@code toSize}. */
  public ConsistencyProof consistencyProof(long fromSize, long toSize) {
    if (fromSize < 0 || fromSize > toSize || toSize > size()) {
      throw new IllegalArgumentException("sizes must satisfy 0 <= from <= to <= the log's size");
    }
    return new ConsistencyProof(fromSize, toSize, store.proofs().consistency(fromSize, toSize));
  }

  /** Reads one entry, its body decrypted where possible. */
  public Optional<AuditRecord> read(long seq) {
    return records.withBodies(entries, entries.entry(seq)).stream().findFirst();
  }

  /** One page of a tenant's entries matching {@code query}, in seq order. */
  public List<AuditRecord> query(AuditQuery query) {
    EntryStore from = reads.store();
    return records.withBodies(
        from,
        from.query(
            new EntryStore.Filter(
                query.tenant(),
                query.afterSeq(),
                query.beforeSeq(),
                query.limit(),
                query.subject(),
                query.actor(),
                query.purpose(),
                query.action() == null ? null : query.action().name(),
                query.from(),
                query.to())));
  }

  /**
   * Listings and reports read from the configured replica ({@link AuditLogConfig#readReplica}) this
   * many times, and from the primary this many: {@code [replica, primary]}.
   */
  public long[] replicaReads() {
    return reads.counts();
  }

  /**
   * Recomputes and checks the whole log: every leaf, subtree, checkpoint signature and root, and
   * the tree head. Reports the first failure with its seq and kind, and records the run (its time,
   * size and failure kind: {@link #lastVerification()}).
   */
  public Verification verify() {
    return verification().full();
  }

  /**
   * Verifies only what came after the tree the newest successful run proved (a full run when there
   * is none): every new entry, body, subtree and checkpoint, and the head; O(new entries). Recorded
   * like {@link #verify()}. Schedule it often and {@link #verify()} now and then.
   */
  public Verification verifyIncremental() {
    return verification().incremental();
  }

  private LogVerification verification() {
    return new LogVerification(
        store,
        entries,
        checkpoints,
        verifications,
        publication,
        config.signer.verifierKey(),
        verifierKey());
  }

  EntryStore entryStore() {
    return entries;
  }

  /** Publication to witnesses: cosignatures, what counts as published, rollback or fork found. */
  public AuditPublication publication() {
    return publication;
  }

  /** The newest recorded run of {@link #verify()}, if the log was ever verified. */
  public Optional<VerificationRun> lastVerification() {
    return verifications.latest();
  }

  /**
   * Retention: deletes the bodies of entries recorded before {@code before}, keeping every entry's
   * metadata, leaf hash, subtrees and checkpoints, so proofs and {@link #verify()} still pass. The
   * prune is announced first, as an entry ({@link Action#PRUNE}, request id {@code prune:<seq>})
   * committed before any body is deleted: {@link #verify()} accepts missing bodies only below a
   * boundary the log itself announced, so a row slipped into the prune table proves nothing.
   * Returns how many bodies were deleted; a boundary inside {@link AuditLogConfig#minimumRetention}
   * is refused (IllegalArgumentException).
   */
  public long prune(Instant before, String actor) {
    config.checkPruneBoundary(before);
    long boundary = entries.pruneBoundaryFor(before);
    if (boundary <= entries.pruneBoundary()) {
      return 0;
    }
    append(
            AuditEntry.builder("_system", actor, Action.PRUNE)
                .requestId(PRUNE_PREFIX + boundary)
                .build())
        .join();
    return entries.pruneBodies(boundary);
  }

  /** The request id of a PRUNE entry: the prefix and the boundary seq. */
  static final String PRUNE_PREFIX = "prune:";

  /** Writes what is queued, signs a final checkpoint, and stops taking entries. */
  @Override
  public void close() {
    writer.close();
    publication.closeAfterLastPublication();
  }
}

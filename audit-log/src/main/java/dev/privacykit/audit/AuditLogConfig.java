package dev.privacykit.audit;

import dev.privacykit.crypto.SubjectKeys;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/** Settings of an {@link AuditLog}; values are checked when set, and together when it opens. */
public final class AuditLogConfig {
  String origin;
  CheckpointSigner signer;
  SubjectKeys subjectKeys;
  int queueCapacity = 20_000;
  double tenantShare = 0.5;
  int maxBatch = 512;
  Duration linger = Duration.ofMillis(2);
  Duration checkpointInterval = Duration.ofSeconds(1);
  String pinnedVerifierKey;
  List<WitnessEndpoint> witnesses = List.of();
  int witnessQuorum;
  Duration publishInterval = Duration.ofMillis(500);
  java.time.Period minimumRetention = java.time.Period.ZERO;
  java.time.Instant writableUntil;
  dev.privacykit.storage.Database readReplica;
  Duration replicaWait = Duration.ofMillis(100);

  AuditLogConfig() {}

  /**
   * The log's name, the first line of every checkpoint, such as {@code audit.example.com/log}.
   * Required.
   */
  public AuditLogConfig origin(String origin) {
    if (origin == null || origin.isBlank() || origin.length() > 200 || origin.contains("\n")) {
      throw new IllegalArgumentException("origin must be one line of 1 to 200 characters");
    }
    this.origin = origin;
    return this;
  }

  /** The key that signs checkpoints. Required. */
  public AuditLogConfig signer(CheckpointSigner signer) {
    this.signer = Objects.requireNonNull(signer, "signer");
    return this;
  }

  /**
   * Where entry bodies are encrypted: each under its subject's key. Needed for entries with bodies.
   */
  public AuditLogConfig subjectKeys(SubjectKeys subjectKeys) {
    this.subjectKeys = Objects.requireNonNull(subjectKeys, "subjectKeys");
    return this;
  }

  /** Entries that may wait to be written (100 to 1,000,000); past that, appends fail fast. */
  public AuditLogConfig queueCapacity(int entries) {
    if (entries < 100 || entries > 1_000_000) {
      throw new IllegalArgumentException("queueCapacity must be 100 to 1000000, was " + entries);
    }
    this.queueCapacity = entries;
    return this;
  }

  /**
   * The share of the queue one tenant's waiting entries may take (0.01 to 1; 0.5 by default), so a
   * flood from one tenant cannot starve the others of audit capacity. 1 for a single-tenant app.
   */
  public AuditLogConfig tenantShare(double share) {
    if (!(share >= 0.01 && share <= 1)) {
      throw new IllegalArgumentException("tenantShare must be 0.01 to 1, was " + share);
    }
    this.tenantShare = share;
    return this;
  }

  /** The most entries one transaction writes (1 to 10,000; 512 by default). */
  public AuditLogConfig maxBatch(int entries) {
    if (entries < 1 || entries > 10_000) {
      throw new IllegalArgumentException("maxBatch must be 1 to 10000, was " + entries);
    }
    this.maxBatch = entries;
    return this;
  }

  /** How long the writer waits for a batch to fill (0 to 100 ms; 2 ms by default). */
  public AuditLogConfig linger(Duration linger) {
    if (linger.isNegative() || linger.compareTo(Duration.ofMillis(100)) > 0) {
      throw new IllegalArgumentException("linger must be 0 to 100 ms, was " + linger);
    }
    this.linger = linger;
    return this;
  }

  /** How often a checkpoint is signed while entries flow (100 ms to 1 h; 1 s by default). */
  public AuditLogConfig checkpointInterval(Duration interval) {
    if (interval.compareTo(Duration.ofMillis(100)) < 0
        || interval.compareTo(Duration.ofHours(1)) > 0) {
      throw new IllegalArgumentException(
          "checkpointInterval must be 100 ms to 1 h, was " + interval);
    }
    this.checkpointInterval = interval;
    return this;
  }

  /**
   * Pins the checkpoint verifier key (as the service printed it at first start): verification uses
   * it, not the key the database holds, and a database whose signing key differs fails verification
   * with {@link Verification.Kind#SIGNATURE}. Null: trust the database's key.
   */
  public AuditLogConfig verifierKey(String pinned) {
    checkVerifierKey(pinned);
    this.pinnedVerifierKey = pinned;
    return this;
  }

  /**
   * Checks a verifier key ({@code name+keyid+base64(0x01 || key)}, the id matching); null passes.
   *
   * @throws IllegalArgumentException naming what is wrong
   */
  public static void checkVerifierKey(String key) {
    if (key != null) {
      try {
        Checkpoint.parseVerifierKey(key);
      } catch (AuditLogException e) {
        throw new IllegalArgumentException(e.getMessage());
      }
    }
  }

  /**
   * Witnesses to publish checkpoints to, and how many of them must cosign a checkpoint for it to
   * count as published (1 to their number).
   */
  public AuditLogConfig witnesses(List<WitnessEndpoint> witnesses, int quorum) {
    if (!witnesses.isEmpty() && (quorum < 1 || quorum > witnesses.size())) {
      throw new IllegalArgumentException(
          "the witness quorum must be 1 to " + witnesses.size() + ", was " + quorum);
    }
    if (witnesses.stream().map(w -> w.key().name()).distinct().count() != witnesses.size()) {
      throw new IllegalArgumentException("each witness must have its own name");
    }
    this.witnesses = List.copyOf(witnesses);
    this.witnessQuorum = witnesses.isEmpty() ? 0 : quorum;
    return this;
  }

  /** How often the publisher looks for a checkpoint to send (50 ms to 1 h; 500 ms by default). */
  public AuditLogConfig publishInterval(Duration interval) {
    if (interval.compareTo(Duration.ofMillis(50)) < 0
        || interval.compareTo(Duration.ofHours(1)) > 0) {
      throw new IllegalArgumentException("publishInterval must be 50 ms to 1 h, was " + interval);
    }
    this.publishInterval = interval;
    return this;
  }

  /**
   * How long entries must be kept whole: {@link AuditLog#prune} refuses a boundary younger than
   * this (DPDP Rules 2025, rules 6(1)(e) and 8(3): logs of processing kept at least one year). Zero
   * by default.
   */
  public AuditLogConfig minimumRetention(java.time.Period period) {
    if (period.isNegative()) {
      throw new IllegalArgumentException("minimumRetention must not be negative");
    }
    this.minimumRetention = period;
    return this;
  }

  /**
   * Closes the log for appends at {@code until} (a time-based shard's end, see {@link
   * AuditShards}): from then on every append fails with {@link AuditLogException.ShardClosed}, no
   * entry is recorded at or after it, and the log stays readable, provable and verifiable. Null
   * (the default): always writable.
   */
  public AuditLogConfig writableUntil(java.time.Instant until) {
    this.writableUntil = until;
    return this;
  }

  /**
   * Reads listings ({@link AuditLog#query}) and reports ({@link AuditLog#reports}) from {@code
   * replica}, a PostgreSQL streaming replica of the log's database opened in the same schema, once
   * it has replayed the primary's WAL position taken at the read (so the read sees every entry
   * committed before it); waits up to {@code maxWait} for that, then reads the primary. Appends,
   * verification, proofs and reads by seq always use the primary. Null: every read on the primary.
   *
   * @throws IllegalArgumentException if the replica is not PostgreSQL or the wait is not 0 to 10 s
   */
  public AuditLogConfig readReplica(dev.privacykit.storage.Database replica, Duration maxWait) {
    if (replica != null && replica.dialect() != dev.privacykit.storage.Dialect.POSTGRESQL) {
      throw new IllegalArgumentException("a read replica must be a PostgreSQL streaming replica");
    }
    if (maxWait.isNegative() || maxWait.compareTo(Duration.ofSeconds(10)) > 0) {
      throw new IllegalArgumentException("the replica wait must be 0 to 10 s, was " + maxWait);
    }
    this.readReplica = replica;
    this.replicaWait = maxWait;
    return this;
  }

  /** Whether the log is closed for appends at {@code now}. */
  boolean closedAt(java.time.Instant now) {
    return writableUntil != null && !now.isBefore(writableUntil);
  }

  /** Refuses a prune boundary that would cut into the minimum retention. */
  void checkPruneBoundary(java.time.Instant before) {
    java.time.Instant floor =
        java.time.ZonedDateTime.now(java.time.ZoneOffset.UTC).minus(minimumRetention).toInstant();
    if (before.isAfter(floor)) {
      throw new IllegalArgumentException(
          "entries must be kept whole for " + minimumRetention + "; prune only before " + floor);
    }
  }
}

package dev.privacykit.server.http;

import static dev.privacykit.javalin.PrivacyPlugin.requires;
import static dev.privacykit.server.http.ConsentRoutes.tenant;
import static dev.privacykit.server.http.Json.object;

import dev.privacykit.audit.Action;
import dev.privacykit.audit.AuditEntry;
import dev.privacykit.audit.AuditLog;
import dev.privacykit.audit.AuditLogException;
import dev.privacykit.audit.AuditQuery;
import dev.privacykit.audit.AuditRecord;
import dev.privacykit.audit.Checkpoint;
import dev.privacykit.audit.InclusionProof;
import dev.privacykit.audit.Outcome;
import dev.privacykit.audit.ProcessingSummary;
import dev.privacykit.audit.Verification;
import dev.privacykit.javalin.Caller;
import dev.privacykit.javalin.PrivacyPlugin;
import dev.privacykit.javalin.ProblemException;
import dev.privacykit.server.ReportFormat;
import dev.privacykit.server.Scopes;
import dev.privacykit.server.Services;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Semaphore;
import java.util.function.IntFunction;

/** {@code /v1/audit}: append from remote backends, query, reports, checkpoints, proofs, verify. */
final class AuditRoutes {
  static final int MAX_BATCH = 1_000;
  private static final String SYSTEM_ACTOR_PREFIX = "svc:";
  private final Services services;

  /** One verification at a time per service: it reads the whole log. */
  private final Semaphore verifying = new Semaphore(1);

  private AuditRoutes(Services services) {
    this.services = services;
  }

  static void mount(JavalinConfig config, Services services) {
    AuditRoutes routes = new AuditRoutes(services);
    var r = config.routes;
    r.post("/v1/audit/events", routes::append, requires(Scopes.AUDIT_WRITE));
    r.post("/v1/audit/events/batch", routes::appendBatch, requires(Scopes.AUDIT_WRITE));
    r.get("/v1/audit/events", routes::query, requires(Scopes.AUDIT_READ));
    r.get(
        "/v1/audit/reports/subjects/{subject}", routes::subjectReport, requires(Scopes.AUDIT_READ));
    r.get("/v1/audit/reports/summary", routes::summary, requires(Scopes.AUDIT_READ));
    r.get("/v1/audit/checkpoint", routes::checkpoint, requires(Scopes.AUDIT_READ));
    r.get("/v1/audit/proofs/inclusion", routes::inclusion, requires(Scopes.AUDIT_READ));
    r.get("/v1/audit/proofs/consistency", routes::consistency, requires(Scopes.AUDIT_READ));
    r.post("/v1/audit/verify", routes::verify, requires(Scopes.AUDIT_READ));
  }

  /**
   * An entry from a JSON object. The tenant is the token's, the actor defaults to its subject, and
   * {@code submitted_by} is always the token's issuer and subject: a caller cannot set it, use
   * PrivacyKit's own actors ({@code svc:...}) or record the actions only PrivacyKit records.
   */
  static AuditEntry entry(Fields item, Caller caller) {
    String tenant = caller.tenant();
    String defaultActor = caller.principal().subject();
    item.only(
        "actor",
        "actor_role",
        "subject",
        "action",
        "purpose",
        "legal_basis",
        "categories",
        "recipient",
        "request_id",
        "outcome",
        "body",
        "idempotency_key");
    String actor = item.optionalText("actor", 256);
    if (actor != null && actor.regionMatches(true, 0, SYSTEM_ACTOR_PREFIX, 0, 4)) {
      throw ProblemException.invalid(
          item.pointer() + "/actor", "actors starting with 'svc:' are PrivacyKit's own");
    }
    Action action = item.enumValue("action", Action.class, null);
    if (action != null && action.isSystem()) {
      throw ProblemException.invalid(
          item.pointer() + "/action",
          "only PrivacyKit records "
              + action.name().toLowerCase(java.util.Locale.ROOT)
              + "; append read, write, disclose or export");
    }
    Outcome outcome = item.enumValue("outcome", Outcome.class, Outcome.SUCCESS);
    List<String> categories =
        item.has("categories") ? item.texts("categories", 64, 128) : List.of();
    try {
      return AuditEntry.builder(tenant, actor == null ? defaultActor : actor, action)
          .actorRole(item.optionalText("actor_role", 128))
          .subject(item.optionalText("subject", 256))
          .purpose(item.optionalText("purpose", 128))
          .legalBasis(item.optionalText("legal_basis", 64))
          .categories(categories)
          .recipient(item.optionalText("recipient", 256))
          .requestId(item.optionalText("request_id", 128))
          .outcome(outcome)
          .submittedBy(caller.principal().issuer() + "|" + caller.principal().subject())
          .body(item.optionalText("body", 65_536))
          .build();
    } catch (IllegalArgumentException e) {
      // AuditEntry's messages name the rule, never the value.
      throw ProblemException.invalid(
          item.pointer().isEmpty() ? "/" : item.pointer(), e.getMessage());
    }
  }

  private void append(Context ctx) {
    Fields body = Json.body(ctx);
    AuditEntry entry = entry(body, PrivacyPlugin.caller(ctx));
    String key = idempotencyKey(body);
    long seq;
    try {
      seq = services.audit(entry.tenant()).append(entry, key).join();
    } catch (CompletionException e) {
      throw conflictOr(e, index -> "/idempotency_key");
    }
    Json.write(ctx, 201, object("seq", seq));
  }

  private static final String RESERVED_KEY_PREFIX = "privacykit:";

  /** An entry's optional idempotency key: a replay answers with the original seq. */
  private static String idempotencyKey(Fields item) {
    String key = item.optionalText("idempotency_key", 128);
    if (key != null && !key.matches("[A-Za-z0-9._:-]{1,128}")) {
      throw ProblemException.invalid(
          item.pointer() + "/idempotency_key", "must be 1 to 128 of A-Z a-z 0-9 . _ : -");
    }
    if (key != null && key.regionMatches(true, 0, RESERVED_KEY_PREFIX, 0, 11)) {
      // PrivacyKit's own entries (a consent change's, say) use these: a caller must not claim one
      throw ProblemException.invalid(
          item.pointer() + "/idempotency_key", "keys starting with 'privacykit:' are reserved");
    }
    return key;
  }

  /** A key conflict as 409 naming the entry's key; anything else as it was. */
  private static RuntimeException conflictOr(CompletionException e, IntFunction<String> pointer) {
    if (e.getCause() instanceof AuditLogException.IdempotencyConflict conflict) {
      return new ProblemException(
              409,
              "idempotency-conflict",
              "Idempotency key reused",
              "this idempotency_key was already used for a different entry")
          .withPointer(pointer.apply(conflict.index()));
    }
    return e;
  }

  private void appendBatch(Context ctx) {
    Fields body = Json.body(ctx).only("events");
    List<AuditEntry> entries = new ArrayList<>();
    Caller caller = PrivacyPlugin.caller(ctx);
    List<String> keys = new ArrayList<>();
    // Every entry is checked before any is appended, and the batch is appended as one unit: a bad
    // batch, a reused key or a full queue writes nothing.
    for (Fields item : body.items("events", MAX_BATCH, true)) {
      entries.add(entry(item, caller));
      keys.add(idempotencyKey(item));
    }
    List<Long> seqs;
    try {
      seqs = services.audit(caller.tenant()).appendAll(entries, keys).join();
    } catch (CompletionException e) {
      throw conflictOr(e, index -> "/events/" + index + "/idempotency_key");
    }
    Json.write(ctx, 201, object("seqs", seqs));
  }

  private AuditQuery queryFrom(Context ctx) {
    AuditQuery query = AuditQuery.tenant(tenant(ctx));
    String subject = Fields.query(ctx, "subject", 256);
    if (subject != null) {
      query = query.subject(subject);
      // Reading a subject's entries is an access to that subject's data: say so in the audit.
      PrivacyPlugin.auditSubject(ctx, subject);
    }
    String actor = Fields.query(ctx, "actor", 256);
    if (actor != null) {
      query = query.actor(actor);
    }
    String purpose = Fields.query(ctx, "purpose", 128);
    if (purpose != null) {
      query = query.purpose(purpose);
    }
    Action action = Fields.queryEnum(ctx, "action", Action.class, null);
    if (action != null) {
      query = query.action(action);
    }
    Instant from = Fields.queryInstant(ctx, "from");
    Instant to = Fields.queryInstant(ctx, "to");
    if (from != null || to != null) {
      query = query.between(from, to);
    }
    query = query.after(Fields.queryLong(ctx, "after", -1, Long.MAX_VALUE, -1));
    // Without a bound the listing stops at the log's size now: pages asked later keep it, so the
    // entries this very query appends (it reads a subject's trail) cannot keep it going.
    long before = Fields.queryLong(ctx, "before", 0, Long.MAX_VALUE, -1);
    query = query.before(before < 0 ? services.audit(tenant(ctx)).size() : before);
    return query.limit((int) Fields.queryLong(ctx, "limit", 1, 1_000, 100));
  }

  private void query(Context ctx) {
    AuditLog log = services.audit(tenant(ctx));
    log.sync().join(); // what was appended before this read is in it
    AuditQuery query = queryFrom(ctx);
    List<AuditRecord> records = log.query(query);
    boolean more = records.size() == query.limit();
    Json.write(
        ctx,
        200,
        object(
            "entries",
            Json.list(records, Views::record),
            "next_after",
            more ? records.get(records.size() - 1).seq() : null,
            "before",
            query.beforeSeq()));
  }

  private void subjectReport(Context ctx) throws Exception {
    services.audit(tenant(ctx)).sync().join(); // what was appended before this read is in it
    String subject = Fields.path(ctx, "subject");
    ReportFormat format = Fields.queryEnum(ctx, "format", ReportFormat.class, ReportFormat.JSON);
    ctx.contentType(format.contentType);
    try (Writer out = new OutputStreamWriter(ctx.outputStream(), StandardCharsets.UTF_8)) {
      format.writeSubjectReport(services, tenant(ctx), subject, out);
    }
  }

  private void summary(Context ctx) {
    AuditLog log = services.audit(tenant(ctx));
    log.sync().join(); // what was appended before this read is in it
    Instant from = Fields.queryInstant(ctx, "from");
    Instant to = Fields.queryInstant(ctx, "to");
    ProcessingSummary summary =
        log.reports()
            .processingSummary(
                tenant(ctx), from == null ? Instant.EPOCH : from, to == null ? Instant.now() : to);
    Json.write(
        ctx,
        200,
        object(
            "from", summary.from(),
            "to", summary.to(),
            "checkpoint", Views.checkpoint(summary.checkpoint(), log),
            "rows",
                Json.list(
                    summary.rows(),
                    row ->
                        object(
                            "purpose", row.purpose(),
                            "category", row.category(),
                            "recipient", row.recipient(),
                            "entries", row.entries()))));
  }

  private static Checkpoint latest(AuditLog log) {
    return log.latestCheckpoint().orElseGet(log::checkpoint);
  }

  /** The newest signed checkpoint of the caller's tree (its shard, when the log is sharded). */
  private void checkpoint(Context ctx) {
    AuditLog log = services.audit(tenant(ctx));
    Json.write(ctx, 200, Views.checkpoint(latest(log), log));
  }

  private void inclusion(Context ctx) {
    long seq = Fields.queryLong(ctx, "seq", 0, Long.MAX_VALUE, -1);
    if (seq < 0) {
      throw ProblemException.invalid("?seq", "is required");
    }
    String tenant = tenant(ctx);
    AuditLog log = services.audit(tenant);
    AuditRecord record =
        log.read(seq)
            .filter(r -> r.entry().tenant().equals(tenant(ctx)))
            .orElseThrow(
                () ->
                    new ProblemException(
                        404, "not-found", "Not found", "no such entry in this tenant"));
    if (services.audits.shards().isPresent()) {
      Json.write(
          ctx,
          200,
          ShardRoutes.proof(
              services.audits.shards().get(), services.audits.shardOf(tenant), record.seq()));
      return;
    }
    Checkpoint checkpoint = latest(log);
    if (seq >= checkpoint.size()) {
      checkpoint = log.checkpoint();
    }
    InclusionProof proof = log.inclusionProof(record.seq(), checkpoint.size());
    Json.write(ctx, 200, inclusion(proof, checkpoint, log));
  }

  /** An entry's inclusion proof against a signed checkpoint of its tree, as the API writes it. */
  static java.util.Map<String, Object> inclusion(
      InclusionProof proof, Checkpoint checkpoint, AuditLog log) {
    HexFormat hex = HexFormat.of();
    return object(
        "seq", proof.seq(),
        "tree_size", proof.treeSize(),
        "leaf_hash", hex.formatHex(proof.leafHash()),
        "path", Json.list(proof.path(), hex::formatHex),
        "checkpoint", Views.checkpoint(checkpoint, log));
  }

  private void consistency(Context ctx) {
    AuditLog log = services.audit(tenant(ctx));
    long size = log.size();
    long from = Fields.queryLong(ctx, "from", 0, Long.MAX_VALUE, -1);
    long to = Fields.queryLong(ctx, "to", 0, Long.MAX_VALUE, size);
    if (from < 0) {
      throw ProblemException.invalid("?from", "is required");
    }
    if (from > to || to > size) {
      throw ProblemException.invalid(
          "?to", "must be at least from and at most the log's size, " + size);
    }
    var proof = log.consistencyProof(from, to);
    Json.write(
        ctx,
        200,
        object(
            "from", proof.fromSize(),
            "to", proof.toSize(),
            "path", Json.list(proof.path(), HexFormat.of()::formatHex)));
  }

  private void verify(Context ctx) {
    if (!verifying.tryAcquire()) {
      throw ProblemException.retryLater(
          429,
          "verification-running",
          "Verification running",
          "one verification runs at a time; retry after the Retry-After header",
          5);
    }
    boolean incremental = Fields.queryBoolean(ctx, "incremental", false);
    Verification verification;
    try {
      verification = services.audits.verify(incremental);
    } finally {
      verifying.release();
    }
    services.incidents.auditVerificationFailed(verification); // a failure raises a candidate
    String kind =
        verification
            .failure()
            .map(f -> f.kind().name().toLowerCase(java.util.Locale.ROOT))
            .orElse(null);
    // The log spans every tenant: its counts and the failure's seq and hashes are the operator's.
    boolean admin = PrivacyPlugin.principal(ctx).scopes().contains(Scopes.ADMIN);
    Json.write(
        ctx,
        200,
        admin
            ? object(
                "ok", verification.ok(),
                "checked_at", Instant.now(),
                "failure_kind", kind,
                "entries", verification.entries(),
                "checkpoints", verification.checkpoints(),
                "failure", verification.failure().map(Verification.Failure::message).orElse(null))
            : object("ok", verification.ok(), "checked_at", Instant.now(), "failure_kind", kind));
  }
}

package dev.privacykit.server.http;

import static dev.privacykit.javalin.PrivacyPlugin.requires;
import static dev.privacykit.server.http.ConsentRoutes.tenant;
import static dev.privacykit.server.http.Json.object;

import dev.privacykit.audit.Action;
import dev.privacykit.audit.AuditEntry;
import dev.privacykit.audit.AuditQuery;
import dev.privacykit.audit.AuditRecord;
import dev.privacykit.audit.Checkpoint;
import dev.privacykit.audit.InclusionProof;
import dev.privacykit.audit.Outcome;
import dev.privacykit.audit.ProcessingSummary;
import dev.privacykit.audit.Verification;
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
import java.util.concurrent.CompletableFuture;

/** {@code /v1/audit}: append from remote backends, query, reports, checkpoints, proofs, verify. */
final class AuditRoutes {
  static final int MAX_BATCH = 1_000;
  private final Services services;

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

  /** An entry from a JSON object; the tenant is the token's, the actor defaults to its subject. */
  static AuditEntry entry(Fields item, String tenant, String defaultActor) {
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
        "body");
    String actor = item.optionalText("actor", 256);
    Action action = item.enumValue("action", Action.class, null);
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
          .body(item.optionalText("body", 65_536))
          .build();
    } catch (IllegalArgumentException e) {
      // AuditEntry's messages name the rule, never the value.
      throw ProblemException.invalid(
          item.pointer().isEmpty() ? "/" : item.pointer(), e.getMessage());
    }
  }

  private void append(Context ctx) {
    AuditEntry entry = entry(Json.body(ctx), tenant(ctx), PrivacyPlugin.principal(ctx).subject());
    long seq = services.audit.append(entry).join();
    Json.write(ctx, 201, object("seq", seq));
  }

  private void appendBatch(Context ctx) {
    Fields body = Json.body(ctx).only("events");
    List<AuditEntry> entries = new ArrayList<>();
    String tenant = tenant(ctx);
    String actor = PrivacyPlugin.principal(ctx).subject();
    // Every entry is checked before any is appended: a bad batch writes nothing.
    for (Fields item : body.items("events", MAX_BATCH, true)) {
      entries.add(entry(item, tenant, actor));
    }
    List<CompletableFuture<Long>> appended = new ArrayList<>(entries.size());
    for (AuditEntry entry : entries) {
      appended.add(services.audit.append(entry));
    }
    List<Long> seqs = new ArrayList<>(appended.size());
    for (CompletableFuture<Long> future : appended) {
      seqs.add(future.join());
    }
    Json.write(ctx, 201, object("seqs", seqs));
  }

  private AuditQuery queryFrom(Context ctx) {
    AuditQuery query = AuditQuery.tenant(tenant(ctx));
    String subject = Fields.query(ctx, "subject", 256);
    if (subject != null) {
      query = query.subject(subject);
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
    return query.limit((int) Fields.queryLong(ctx, "limit", 1, 1_000, 100));
  }

  private void query(Context ctx) {
    List<AuditRecord> records = services.audit.query(queryFrom(ctx));
    Json.write(
        ctx,
        200,
        object(
            "entries",
            Json.list(records, Views::record),
            "next_after",
            records.isEmpty() ? null : records.get(records.size() - 1).seq()));
  }

  private void subjectReport(Context ctx) throws Exception {
    String subject = Fields.path(ctx, "subject");
    ReportFormat format = Fields.queryEnum(ctx, "format", ReportFormat.class, ReportFormat.JSON);
    ctx.contentType(format.contentType);
    try (Writer out = new OutputStreamWriter(ctx.outputStream(), StandardCharsets.UTF_8)) {
      format.writeSubjectReport(services, tenant(ctx), subject, out);
    }
  }

  private void summary(Context ctx) {
    Instant from = Fields.queryInstant(ctx, "from");
    Instant to = Fields.queryInstant(ctx, "to");
    ProcessingSummary summary =
        services
            .audit
            .reports()
            .processingSummary(
                tenant(ctx), from == null ? Instant.EPOCH : from, to == null ? Instant.now() : to);
    Json.write(
        ctx,
        200,
        object(
            "from", summary.from(),
            "to", summary.to(),
            "checkpoint", Views.checkpoint(summary.checkpoint(), services.audit.verifierKey()),
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

  private Checkpoint latest() {
    return services.audit.latestCheckpoint().orElseGet(services.audit::checkpoint);
  }

  private void checkpoint(Context ctx) {
    Json.write(ctx, 200, Views.checkpoint(latest(), services.audit.verifierKey()));
  }

  private void inclusion(Context ctx) {
    long seq = Fields.queryLong(ctx, "seq", 0, Long.MAX_VALUE, -1);
    if (seq < 0) {
      throw ProblemException.invalid("?seq", "is required");
    }
    AuditRecord record =
        services
            .audit
            .read(seq)
            .filter(r -> r.entry().tenant().equals(tenant(ctx)))
            .orElseThrow(
                () ->
                    new ProblemException(
                        404, "not-found", "Not found", "no such entry in this tenant"));
    Checkpoint checkpoint = latest();
    if (seq >= checkpoint.size()) {
      checkpoint = services.audit.checkpoint();
    }
    InclusionProof proof = services.audit.inclusionProof(record.seq(), checkpoint.size());
    HexFormat hex = HexFormat.of();
    Json.write(
        ctx,
        200,
        object(
            "seq", proof.seq(),
            "tree_size", proof.treeSize(),
            "leaf_hash", hex.formatHex(proof.leafHash()),
            "path", Json.list(proof.path(), hex::formatHex),
            "checkpoint", Views.checkpoint(checkpoint, services.audit.verifierKey())));
  }

  private void consistency(Context ctx) {
    long size = services.audit.size();
    long from = Fields.queryLong(ctx, "from", 0, Long.MAX_VALUE, -1);
    long to = Fields.queryLong(ctx, "to", 0, Long.MAX_VALUE, size);
    if (from < 0) {
      throw ProblemException.invalid("?from", "is required");
    }
    if (from > to || to > size) {
      throw ProblemException.invalid(
          "?to", "must be at least from and at most the log's size, " + size);
    }
    var proof = services.audit.consistencyProof(from, to);
    Json.write(
        ctx,
        200,
        object(
            "from", proof.fromSize(),
            "to", proof.toSize(),
            "path", Json.list(proof.path(), HexFormat.of()::formatHex)));
  }

  private void verify(Context ctx) {
    Verification verification = services.audit.verify();
    Json.write(
        ctx,
        200,
        object(
            "ok", verification.ok(),
            "entries", verification.entries(),
            "checkpoints", verification.checkpoints(),
            "failure", verification.failure().map(Verification.Failure::message).orElse(null)));
  }
}

package dev.privacykit.server.http;

import static dev.privacykit.javalin.PrivacyPlugin.requires;
import static dev.privacykit.server.http.ConsentRoutes.tenant;
import static dev.privacykit.server.http.Json.object;

import dev.privacykit.audit.Action;
import dev.privacykit.audit.AuditEntry;
import dev.privacykit.audit.Outcome;
import dev.privacykit.crypto.BlindIndex;
import dev.privacykit.crypto.FieldCipher;
import dev.privacykit.crypto.FieldContext;
import dev.privacykit.crypto.UsageBudgetSpentException;
import dev.privacykit.javalin.PrivacyPlugin;
import dev.privacykit.javalin.ProblemException;
import dev.privacykit.javalin.Problems;
import dev.privacykit.server.Scopes;
import dev.privacykit.server.Services;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code /v1/crypto}: encryption as a service. Each operation has a single form ({@code POST
 * /v1/crypto/encrypt}, body one item) and a batch form ({@code .../batch}, {@code {"items": [...]}}
 * answered item by item, an error in one not failing the others). Keys never leave the service;
 * every decrypt is audited.
 */
final class CryptoRoutes {
  static final int MAX_BATCH = 1_000;
  private final Services services;
  private final Map<String, BlindIndex> indexes = new ConcurrentHashMap<>();

  /** One operation on one item; returns the result fields, or throws a problem for the item. */
  @FunctionalInterface
  private interface Operation {
    Map<String, Object> apply(Fields item, Context ctx, List<CompletableFuture<Long>> audits)
        throws GeneralSecurityException;
  }

  private static final int MAX_CACHED_INDEXES = 1_000;

  private CryptoRoutes(Services services) {
    this.services = services;
  }

  static void mount(JavalinConfig config, Services services) {
    CryptoRoutes routes = new CryptoRoutes(services);
    routes.operation(config, "encrypt", Scopes.CRYPTO_ENCRYPT, routes::encrypt);
    routes.operation(config, "decrypt", Scopes.CRYPTO_DECRYPT, routes::decrypt);
    routes.operation(config, "blind-index", Scopes.CRYPTO_DETERMINISTIC, routes::blindIndex);
    routes.operation(config, "rewrap", Scopes.CRYPTO_ENCRYPT, routes::rewrap);
  }

  private void operation(JavalinConfig config, String name, String scope, Operation operation) {
    config.routes.post(
        "/v1/crypto/" + name,
        ctx -> {
          List<CompletableFuture<Long>> audits = new ArrayList<>();
          Map<String, Object> result = run(operation, Json.body(ctx), ctx, audits);
          audits.forEach(CompletableFuture::join);
          if (result.containsKey("error")) {
            @SuppressWarnings("unchecked")
            Map<String, Object> error = (Map<String, Object>) result.get("error");
            if ("decryption-failed".equals(error.get("type"))) {
              throw new ProblemException(
                  422, "decryption-failed", "Decryption failed", "decryption failed");
            }
            throw ProblemException.invalid(
                (String) error.get("pointer"), (String) error.get("detail"));
          }
          Json.write(ctx, 200, result);
        },
        requires(scope));
    config.routes.post(
        "/v1/crypto/" + name + "/batch",
        ctx -> {
          Fields body = Json.body(ctx).only("items");
          List<CompletableFuture<Long>> audits = new ArrayList<>();
          List<Object> results = new ArrayList<>();
          for (Fields item : body.items("items", MAX_BATCH, true)) {
            results.add(run(operation, item, ctx, audits));
          }
          audits.forEach(CompletableFuture::join);
          Json.write(ctx, 200, object("results", results));
        },
        requires(scope));
  }

  private static Map<String, Object> run(
      Operation operation, Fields item, Context ctx, List<CompletableFuture<Long>> audits) {
    try {
      Map<String, Object> result = operation.apply(item, ctx, audits);
      result.put("ok", true);
      return result;
    } catch (ProblemException e) {
      if (e.status() == 403) {
        throw e; // a missing scope refuses the whole request, not one item
      }
      return object(
          "ok",
          false,
          "error",
          object("type", e.type(), "pointer", e.pointer(), "detail", e.getMessage()));
    } catch (UsageBudgetSpentException e) {
      // Not the item's fault and not retryable until an operator rotates: the whole request fails.
      throw new ProblemException(
          503,
          "key-budget-spent",
          "Encryption budget spent",
          "this tenant has made all the encryptions its budget allows under the current key; an"
              + " operator must rotate the keyring (privacykit keys rotate)");
    } catch (GeneralSecurityException e) {
      return object(
          "ok",
          false,
          "error",
          object(
              "type",
              "decryption-failed",
              "pointer",
              item.pointer() + "/ciphertext",
              "detail",
              "decryption failed"));
    }
  }

  /**
   * The cipher and context for an item: a row id gives randomized GCM, none needs deterministic.
   * {@code key} says whose key: the subject's (erased with the subject) or the tenant's keyring.
   */
  private record Target(FieldCipher cipher, FieldContext context, String key) {}

  /** Which key an item asks for: {@code subject}, {@code tenant}, or null when it leaves it out. */
  private static String key(Fields item) {
    String key = item.optionalText("key", 16);
    if (key != null && !key.equals(SUBJECT_KEY) && !key.equals(TENANT_KEY)) {
      throw ProblemException.invalid(item.pointer() + "/key", "must be subject or tenant");
    }
    return key;
  }

  static final String SUBJECT_KEY = "subject";
  static final String TENANT_KEY = "tenant";

  private Target target(Fields item, Context ctx) {
    return target(item, ctx, TENANT_KEY, null);
  }

  private Target target(Fields item, Context ctx, String key, String subject)
      throws ProblemException {
    String table = item.text("table", 128);
    String column = item.text("column", 128);
    String rowId = item.optionalText("row_id", 256);
    boolean deterministic = item.bool("deterministic", false);
    if (deterministic && rowId != null) {
      throw ProblemException.invalid(
          item.pointer() + "/row_id", "deterministic encryption is per column: leave row_id out");
    }
    if (!deterministic && rowId == null) {
      throw ProblemException.invalid(
          item.pointer() + "/row_id",
          "is required (randomized encryption binds the row); or set deterministic: true");
    }
    if (deterministic
        && !PrivacyPlugin.caller(ctx).actorRoles().contains(Scopes.CRYPTO_DETERMINISTIC)) {
      // Deterministic ciphertexts reveal equality: that needs its own scope.
      throw new ProblemException(
          403,
          "insufficient-scope",
          "Insufficient scope",
          "deterministic encryption needs " + Scopes.CRYPTO_DETERMINISTIC);
    }
    if (deterministic && SUBJECT_KEY.equals(key)) {
      throw ProblemException.invalid(
          item.pointer() + "/key",
          "deterministic encryption uses the column's key, so that equal values compare equal");
    }
    String tenant = tenant(ctx);
    if (deterministic) {
      return new Target(
          services.deterministic, FieldContext.forColumn(tenant, table, column), TENANT_KEY);
    }
    FieldContext context = FieldContext.of(tenant, table, column, rowId);
    if (SUBJECT_KEY.equals(key)) {
      if (subject == null) {
        throw ProblemException.invalid(
            item.pointer() + "/subject", "is required to encrypt under the subject's key");
      }
      try {
        return new Target(services.subjectKeys.cipher(tenant, subject), context, SUBJECT_KEY);
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("the subject's key could not be unwrapped", e);
      }
    }
    return new Target(services.randomized, context, TENANT_KEY);
  }

  private Map<String, Object> encrypt(
      Fields item, Context ctx, List<CompletableFuture<Long>> audits)
      throws GeneralSecurityException {
    item.only(
        "table", "column", "row_id", "deterministic", "plaintext", "subject", "purpose", "key");
    String subject = item.optionalText("subject", 256);
    String key = key(item);
    boolean deterministic = item.bool("deterministic", false);
    if (key == null) {
      // Personal data goes under its subject's key, so that erasure reaches it too.
      key = subject != null && !deterministic ? SUBJECT_KEY : TENANT_KEY;
    }
    Target target = target(item, ctx, key, subject);
    String plaintext = item.text("plaintext", 65_536);
    String purpose = item.optionalText("purpose", 128);
    String ciphertext = target.cipher().encryptToString(plaintext, target.context());
    audit(ctx, audits, Action.WRITE, subject, purpose, Outcome.SUCCESS);
    return object("ciphertext", ciphertext, "key", target.key());
  }

  /**
   * Records an operation on a named subject's data as its own entry (a batch may name many
   * subjects), and names the subject on the request's entry too. Nothing without a subject.
   */
  private void audit(
      Context ctx,
      List<CompletableFuture<Long>> audits,
      Action action,
      String subject,
      String purpose,
      Outcome outcome) {
    if (subject == null) {
      return;
    }
    PrivacyPlugin.auditSubject(ctx, subject);
    audits.add(
        services
            .audit(tenant(ctx))
            .append(
                AuditEntry.builder(tenant(ctx), PrivacyPlugin.principal(ctx).subject(), action)
                    .subject(subject)
                    .purpose(purpose)
                    .requestId(Problems.correlationId(ctx))
                    .outcome(outcome)
                    .build()));
  }

  private Map<String, Object> decrypt(
      Fields item, Context ctx, List<CompletableFuture<Long>> audits)
      throws GeneralSecurityException {
    item.only(
        "table", "column", "row_id", "deterministic", "ciphertext", "subject", "purpose", "key");
    String subject = item.optionalText("subject", 256);
    String key = key(item);
    if (SUBJECT_KEY.equals(key) && subject == null) {
      throw ProblemException.invalid(
          item.pointer() + "/subject", "is required to decrypt under the subject's key");
    }
    Target target = target(item, ctx, TENANT_KEY, null);
    String ciphertext = item.text("ciphertext", 100_000);
    String purpose = item.optionalText("purpose", 128);
    PrivacyPlugin.auditSubject(ctx, subject);
    String plaintext;
    Outcome outcome = Outcome.SUCCESS;
    try {
      plaintext = decrypt(target, key, subject, ciphertext, ctx);
    } catch (GeneralSecurityException e) {
      outcome = Outcome.FAILURE;
      throw e;
    } finally {
      // every decrypt is recorded, with or without a subject
      audits.add(
          services
              .audit(tenant(ctx))
              .append(
                  AuditEntry.builder(
                          tenant(ctx), PrivacyPlugin.principal(ctx).subject(), Action.DECRYPT)
                      .subject(subject)
                      .purpose(purpose)
                      .requestId(Problems.correlationId(ctx))
                      .outcome(outcome)
                      .build()));
    }
    return object("plaintext", plaintext);
  }

  /**
   * Decrypts under the key asked for; when none is named and a subject is, under the subject's key
   * first and then the tenant's (data encrypted before subject keys, or on purpose under the
   * tenant's). A shredded subject key is never made again here: its data stays unreadable.
   */
  private String decrypt(Target target, String key, String subject, String ciphertext, Context ctx)
      throws GeneralSecurityException {
    boolean randomized = target.context().hasRow();
    if (subject != null && randomized && !TENANT_KEY.equals(key)) {
      var subjectCipher = services.subjectKeys.existingCipher(tenant(ctx), subject);
      if (subjectCipher.isPresent()) {
        try {
          return subjectCipher.get().decryptString(ciphertext, target.context());
        } catch (GeneralSecurityException e) {
          if (SUBJECT_KEY.equals(key)) {
            throw e;
          }
        }
      } else if (SUBJECT_KEY.equals(key)) {
        throw new GeneralSecurityException("decryption failed");
      }
    }
    return target.cipher().decryptString(ciphertext, target.context());
  }

  private Map<String, Object> blindIndex(
      Fields item, Context ctx, List<CompletableFuture<Long>> audits)
      throws GeneralSecurityException {
    item.only("table", "column", "value", "bits", "expected_rows", "subject", "purpose");
    String table = item.text("table", 128);
    String column = item.text("column", 128);
    int bits = java.util.Objects.requireNonNullElse(item.optionalInteger("bits", 1, 256), 16);
    int rows =
        java.util.Objects.requireNonNullElse(
            item.optionalInteger("expected_rows", 1, Integer.MAX_VALUE), 1_000_000);
    String value = item.text("value", 65_536);
    BlindIndex index;
    try {
      String key = table + "\u0000" + column + "\u0000" + bits + "\u0000" + rows;
      index = indexes.get(key);
      if (index == null) {
        index =
            BlindIndex.builder(services.keyring, table, column)
                .bits(bits)
                .expectedRows(rows)
                .build();
        // Bounded: callers choose the keys, so past the bound configurations are not remembered.
        if (indexes.size() < MAX_CACHED_INDEXES) {
          indexes.putIfAbsent(key, index);
        }
      }
    } catch (IllegalArgumentException e) {
      throw ProblemException.invalid(item.pointer() + "/bits", e.getMessage());
    }
    String term = index.termText(tenant(ctx), value);
    // a term finds a person by value: with a subject named, it is a read of that person's data
    audit(
        ctx,
        audits,
        Action.READ,
        item.optionalText("subject", 256),
        item.optionalText("purpose", 128),
        Outcome.SUCCESS);
    return object("term", term, "bits", bits);
  }

  private Map<String, Object> rewrap(Fields item, Context ctx, List<CompletableFuture<Long>> audits)
      throws GeneralSecurityException {
    item.only("table", "column", "row_id", "deterministic", "ciphertext");
    Target target = target(item, ctx);
    String ciphertext = item.text("ciphertext", 100_000);
    String rewrapped = target.cipher().rewrapString(ciphertext, target.context());
    return object("ciphertext", rewrapped, "rewrapped", !rewrapped.equals(ciphertext));
  }
}

package dev.privacykit.crypto.internal;

import dev.privacykit.storage.Database;
import dev.privacykit.storage.spi.Jdbis;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;

/** The keyring's rows: wrapped keys, the primary flag, usage reservations. Not API. */
public final class KeyringTable {

  /** One stored key, still wrapped. */
  public record Row(
      int keyId, boolean primary, byte[] wrappedKey, String rootKeyId, Instant createdAt) {}

  private final Jdbi jdbi;
  private final String lockClause;

  public KeyringTable(Database database) {
    this.jdbi = Jdbis.of(database);
    this.lockClause = database.dialect().lockRowsClause();
  }

  /** The state version, bumped by every change. */
  public long version() {
    return jdbi.withHandle(
        h ->
            h.createQuery("SELECT version FROM crypto_keyring_state WHERE id = 1")
                .mapTo(Long.class)
                .one());
  }

  /** Every key. */
  public List<Row> rows() {
    return jdbi.withHandle(KeyringTable::select);
  }

  private static List<Row> select(Handle h) {
    return h.createQuery(
            "SELECT key_id, is_primary, wrapped_key, root_key_id, created_at FROM crypto_keyring"
                + " ORDER BY created_at, key_id")
        .map(
            (rs, ctx) ->
                new Row(
                    rs.getInt("key_id"),
                    rs.getBoolean("is_primary"),
                    rs.getBytes("wrapped_key"),
                    rs.getString("root_key_id"),
                    rs.getObject("created_at", OffsetDateTime.class).toInstant()))
        .list();
  }

  /** Something that makes a new wrapped key given its id. */
  @FunctionalInterface
  public interface KeyMaker {
    byte[] wrappedKeyFor(int keyId) throws GeneralSecurityException;
  }

  /**
   * Adds a key and makes it primary, under the state row lock. With {@code onlyIfEmpty}, does
   * nothing when a key exists already (the first start of several processes at once).
   */
  public void addPrimary(KeyMaker maker, String rootKeyId, boolean onlyIfEmpty)
      throws GeneralSecurityException {
    try {
      jdbi.useTransaction(
          h -> {
            lock(h);
            List<Row> existing = select(h);
            if (onlyIfEmpty && !existing.isEmpty()) {
              return;
            }
            int keyId = newKeyId(existing);
            byte[] wrapped;
            try {
              wrapped = maker.wrappedKeyFor(keyId);
            } catch (GeneralSecurityException e) {
              throw new WrappedFailure(e);
            }
            h.createUpdate("UPDATE crypto_keyring SET is_primary = FALSE WHERE is_primary")
                .execute();
            h.createUpdate(
                    "INSERT INTO crypto_keyring (key_id, is_primary, wrapped_key, root_key_id,"
                        + " reserved, created_at) VALUES (:id, TRUE, :wrapped, :root, 0, :at)")
                .bind("id", keyId)
                .bind("wrapped", wrapped)
                .bind("root", rootKeyId)
                .bind("at", Sql.now())
                .execute();
            bump(h);
          });
    } catch (WrappedFailure e) {
      throw e.failure;
    }
  }

  /** Deletes a key that is not primary; returns whether it existed. */
  public boolean delete(int keyId) {
    return jdbi.inTransaction(
        h -> {
          lock(h);
          int deleted =
              h.createUpdate("DELETE FROM crypto_keyring WHERE key_id = :id AND NOT is_primary")
                  .bind("id", keyId)
                  .execute();
          bump(h);
          return deleted == 1;
        });
  }

  /**
   * Reserves {@code block} more encryptions for {@code tenant} under a key if the tenant's total
   * stays within {@code budget}; returns whether it did. What the key reserved before budgets were
   * per tenant ({@code crypto_keyring.reserved}) counts against every tenant.
   */
  public boolean reserve(int keyId, String tenant, long block, long budget) {
    for (int attempt = 0; attempt < 3; attempt++) {
      int grown =
          jdbi.withHandle(
              h ->
                  h.createUpdate(
                          "UPDATE crypto_key_usage SET reserved = reserved + :block"
                              + " WHERE key_id = :id AND tenant = :tenant"
                              + " AND reserved + :block <= :budget")
                      .bind("block", block)
                      .bind("id", keyId)
                      .bind("tenant", tenant)
                      .bind("budget", budget)
                      .execute());
      if (grown == 1) {
        return true;
      }
      boolean started =
          jdbi.withHandle(
              h ->
                  h.createQuery(
                              "SELECT COUNT(*) FROM crypto_key_usage"
                                  + " WHERE key_id = :id AND tenant = :tenant")
                          .bind("id", keyId)
                          .bind("tenant", tenant)
                          .mapTo(Long.class)
                          .one()
                      > 0);
      if (started) {
        return false; // the tenant's budget under this key is spent
      }
      try {
        return jdbi.withHandle(
                h ->
                    h.createUpdate(
                            "INSERT INTO crypto_key_usage (key_id, tenant, reserved)"
                                + " SELECT key_id, :tenant, reserved + :block FROM crypto_keyring"
                                + " WHERE key_id = :id AND reserved + :block <= :budget")
                        .bind("block", block)
                        .bind("id", keyId)
                        .bind("tenant", tenant)
                        .bind("budget", budget)
                        .execute())
            == 1;
      } catch (UnableToExecuteStatementException e) {
        if (!Sql.isUniqueViolation(e)) {
          throw e;
        }
        // another process started this tenant's count first: grow theirs
      }
    }
    return false;
  }

  private void lock(Handle h) {
    h.createQuery("SELECT version FROM crypto_keyring_state WHERE id = 1 " + lockClause)
        .mapTo(Long.class)
        .one();
  }

  private static void bump(Handle h) {
    h.createUpdate("UPDATE crypto_keyring_state SET version = version + 1 WHERE id = 1").execute();
  }

  private static int newKeyId(List<Row> existing) {
    while (true) {
      int id = java.nio.ByteBuffer.wrap(Gcm.randomBytes(4)).getInt();
      if (id != 0 && existing.stream().noneMatch(r -> r.keyId() == id)) {
        return id;
      }
    }
  }

  /** Carries a checked failure out of a Jdbi callback. */
  private static final class WrappedFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final transient GeneralSecurityException failure;

    WrappedFailure(GeneralSecurityException failure) {
      super(failure.getMessage(), null, false, false);
      this.failure = failure;
    }
  }
}

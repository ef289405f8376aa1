package dev.privacykit.crypto;

import dev.privacykit.storage.Database;
import dev.privacykit.storage.spi.Jdbis;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;

/**
 * Gets or creates a named signing key that is stored in a module's own table, its private part
 * wrapped by the {@link RootKey}: the audit log's checkpoint key and the consent receipts' key both
 * come from here, so every service instance sharing a database signs with the same key.
 *
 * <p>The table has the columns {@code name} (primary key), a public column of the owner's choice,
 * {@code wrapped_key}, {@code root_key_id} and {@code created_at}. When two processes create the
 * key at once, the primary key lets one win and the other reads the winner's key.
 *
 * <h2>Security</h2>
 *
 * The wrap is bound to {@code context + "\n" + name}, so a wrapped key copied to another name or
 * table does not unwrap. A key wrapped by another root key is refused with a message naming both
 * root key ids (never key material). Unwrapped private bytes are zeroed once the key is restored.
 *
 * <p>Stateless and thread-safe.
 */
public final class SigningKeys {
  private static final Pattern IDENTIFIER = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

  private SigningKeys() {}

  /**
   * Where a module keeps its signing keys.
   *
   * @param table the table's name
   * @param publicColumn the column holding the key's public form
   * @param context what the wrap is bound to, such as {@code privacykit/audit-signing-key/v1}
   */
  public record Table(String table, String publicColumn, String context) {
    /** Checks the identifiers, which are written into SQL. */
    public Table {
      if (!IDENTIFIER.matcher(table).matches() || !IDENTIFIER.matcher(publicColumn).matches()) {
        throw new IllegalArgumentException("table and column names are lower-case SQL identifiers");
      }
      Objects.requireNonNull(context, "context");
    }
  }

  /**
   * How one kind of key is made, stored and restored.
   *
   * @param <K> the key type
   */
  public interface Codec<K> {
    /** A new random key. */
    K generate() throws GeneralSecurityException;

    /** The private part to wrap (the caller's copy is zeroed after wrapping). */
    byte[] privateBytes(K key) throws GeneralSecurityException;

    /** The public form stored in the public column (a {@code byte[]} or a {@code String}). */
    Object publicValue(K key) throws GeneralSecurityException;

    /** The key from its unwrapped private part and its stored public form. */
    K restore(byte[] privateBytes, Object publicValue) throws GeneralSecurityException;
  }

  /**
   * The key named {@code name} in {@code table}, made and stored on first use.
   *
   * @throws GeneralSecurityException if the stored key was wrapped by another root key or was
   *     altered, or could not be stored
   */
  public static <K> K getOrCreate(
      Database database, RootKey rootKey, Table table, String name, Codec<K> codec)
      throws GeneralSecurityException {
    Jdbi jdbi = Jdbis.of(database);
    byte[] context = (table.context() + "\n" + name).getBytes(StandardCharsets.UTF_8);
    for (int attempt = 0; attempt < 3; attempt++) {
      Optional<Map<String, Object>> row =
          jdbi.withHandle(
              h ->
                  h.createQuery(
                          "SELECT "
                              + table.publicColumn()
                              + " AS public_value, wrapped_key, root_key_id FROM "
                              + table.table()
                              + " WHERE name = :n")
                      .bind("n", name)
                      .mapToMap()
                      .findOne());
      if (row.isPresent()) {
        return restore(rootKey, name, context, codec, row.get());
      }
      K fresh = codec.generate();
      byte[] privateBytes = codec.privateBytes(fresh);
      byte[] wrapped;
      try {
        wrapped = rootKey.wrap(privateBytes, context);
      } finally {
        Arrays.fill(privateBytes, (byte) 0);
      }
      Object publicValue = codec.publicValue(fresh);
      try {
        jdbi.useHandle(
            h ->
                h.createUpdate(
                        "INSERT INTO "
                            + table.table()
                            + " (name, "
                            + table.publicColumn()
                            + ", wrapped_key, root_key_id, created_at) VALUES (:n, :p, :w, :r, :at)")
                    .bind("n", name)
                    .bind("p", publicValue)
                    .bind("w", wrapped)
                    .bind("r", rootKey.id())
                    .bind(
                        "at", Instant.now().truncatedTo(ChronoUnit.MICROS).atOffset(ZoneOffset.UTC))
                    .execute());
        return fresh;
      } catch (UnableToExecuteStatementException e) {
        // another process stored its key first: read that one
      }
    }
    throw new GeneralSecurityException("could not store the signing key '" + name + "'");
  }

  private static <K> K restore(
      RootKey rootKey, String name, byte[] context, Codec<K> codec, Map<String, Object> row)
      throws GeneralSecurityException {
    if (!rootKey.id().equals(row.get("root_key_id"))) {
      throw new GeneralSecurityException(
          "the signing key '"
              + name
              + "' was wrapped by root key "
              + row.get("root_key_id")
              + ", but the configured root key is "
              + rootKey.id());
    }
    byte[] privateBytes = rootKey.unwrap((byte[]) row.get("wrapped_key"), context);
    try {
      return codec.restore(privateBytes, row.get("public_value"));
    } finally {
      Arrays.fill(privateBytes, (byte) 0);
    }
  }
}

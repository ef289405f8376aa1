package dev.privacykit.crypto;

import dev.privacykit.crypto.internal.KeyMaterial;
import java.nio.charset.StandardCharsets;

/**
 * Where an encrypted value lives: tenant, table, column, and the row or data subject it belongs to.
 * Every encryption is bound to its context: a ciphertext copied to another tenant, table, column or
 * row does not decrypt.
 *
 * <p>Immutable and thread-safe. The parts are names and identifiers, not personal data; use a
 * surrogate key or a pseudonymous subject reference as the row id, never an e-mail address.
 */
public final class FieldContext {
  private static final int MAX_PART = 256;

  private final String tenant;
  private final String table;
  private final String column;
  private final String rowId;
  private final byte[] rowIdBytes;
  private final KeyMaterial.Scope scope;

  private FieldContext(String tenant, String table, String column, String rowId) {
    this.tenant = check("tenant", tenant);
    this.table = check("table", table);
    this.column = check("column", column);
    this.rowId = rowId == null ? null : check("rowId", rowId);
    this.rowIdBytes = rowId == null ? new byte[0] : rowId.getBytes(StandardCharsets.UTF_8);
    this.scope = new KeyMaterial.Scope(tenant, table, column);
  }

  /** The context of one value in one row (or of one data subject): what randomized mode needs. */
  public static FieldContext of(String tenant, String table, String column, String rowId) {
    if (rowId == null) {
      throw new IllegalArgumentException("rowId must not be null; use forColumn(...) for a column");
    }
    return new FieldContext(tenant, table, column, rowId);
  }

  /**
   * The context of a whole column, for deterministic encryption: equal values in the column encrypt
   * alike, so they can be unique or joined. Randomized encryption refuses it.
   */
  public static FieldContext forColumn(String tenant, String table, String column) {
    return new FieldContext(tenant, table, column, null);
  }

  /** The tenant. */
  public String tenant() {
    return tenant;
  }

  /** The table (or collection, or record type). */
  public String table() {
    return table;
  }

  /** The column (or field). */
  public String column() {
    return column;
  }

  /** The row or subject id, or null for a column context. */
  public String rowId() {
    return rowId;
  }

  /** Whether this context names a row. */
  public boolean hasRow() {
    return rowId != null;
  }

  /** The row id's UTF-8 bytes (empty for a column context): authenticated as associated data. */
  byte[] rowIdBytes() {
    return rowIdBytes;
  }

  /** Tenant, table and column: each has its own subkey, so they are bound by the key itself. */
  KeyMaterial.Scope scope() {
    return scope;
  }

  private static String check(String name, String value) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(name + " must not be blank");
    }
    if (value.length() > MAX_PART) {
      throw new IllegalArgumentException(
          name + " must be at most " + MAX_PART + " characters, was " + value.length());
    }
    return value;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof FieldContext that
        && scope.equals(that.scope)
        && java.util.Objects.equals(rowId, that.rowId);
  }

  @Override
  public int hashCode() {
    return scope.hashCode() * 31 + java.util.Objects.hashCode(rowId);
  }

  /** Names the parts; the row id is left out of the text. */
  @Override
  public String toString() {
    return "FieldContext["
        + tenant
        + "/"
        + table
        + "/"
        + column
        + (rowId == null ? "" : "/…")
        + "]";
  }
}

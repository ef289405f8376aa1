package dev.privacykit.storage;

/**
 * The root of every unchecked failure of the storage plumbing: an unreachable database, a bad JDBC
 * URL, a failed migration. Messages name the database by its redacted URL, never with credentials,
 * and never contain bound statement values.
 */
public class StorageException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** A failure described by {@code message}. */
  public StorageException(String message) {
    super(message);
  }

  /** A failure described by {@code message}, caused by {@code cause}. */
  public StorageException(String message, Throwable cause) {
    super(message, cause);
  }
}

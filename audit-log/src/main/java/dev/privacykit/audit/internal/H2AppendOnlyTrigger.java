package dev.privacykit.audit.internal;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.h2.api.Trigger;

/**
 * Rejects UPDATE and DELETE on the audit tables of an embedded H2 database. A DELETE on {@code
 * audit_bodies} is let through while the session variable {@code @AUDIT_PRUNE} is 1 (set by prune
 * for its transaction). Not API.
 */
public final class H2AppendOnlyTrigger implements Trigger {
  private String table;
  private int type;

  @Override
  public void init(
      Connection connection,
      String schema,
      String trigger,
      String table,
      boolean before,
      int type) {
    this.table = table.toLowerCase(java.util.Locale.ROOT);
    this.type = type;
  }

  @Override
  public void fire(Connection connection, Object[] oldRow, Object[] newRow) throws SQLException {
    boolean delete = newRow == null;
    if (delete && "audit_bodies".equals(table) && pruning(connection)) {
      return;
    }
    throw new SQLException(
        "the audit log is append-only: "
            + (delete ? "DELETE" : "UPDATE")
            + " on "
            + table
            + " is not allowed",
        "42501");
  }

  private static boolean pruning(Connection connection) throws SQLException {
    try (Statement statement = connection.createStatement();
        ResultSet rs = statement.executeQuery("SELECT @AUDIT_PRUNE")) {
      return rs.next() && rs.getObject(1) != null && rs.getInt(1) == 1;
    }
  }
}

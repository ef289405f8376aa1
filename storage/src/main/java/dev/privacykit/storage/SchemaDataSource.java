package dev.privacykit.storage;

import java.io.PrintWriter;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * A pool's connections switched to one schema while borrowed ({@link Database#inSchema}): each goes
 * back to the pool in the schema it came out in, so the pool's other users never find themselves in
 * this schema. A connection whose schema cannot be restored is closed for good (aborted), not
 * returned.
 */
final class SchemaDataSource implements DataSource {
  private final DataSource pool;
  private final String schema;

  SchemaDataSource(DataSource pool, String schema) {
    this.pool = pool;
    this.schema = schema;
  }

  @Override
  public Connection getConnection() throws SQLException {
    Connection connection = pool.getConnection();
    String original;
    try {
      original = connection.getSchema();
      connection.setSchema(schema);
    } catch (SQLException | RuntimeException e) {
      connection.close();
      throw e;
    }
    return (Connection)
        Proxy.newProxyInstance(
            Connection.class.getClassLoader(),
            new Class<?>[] {Connection.class},
            (proxy, method, args) -> {
              if (method.getName().equals("close") && method.getParameterCount() == 0) {
                restore(connection, original);
                return null;
              }
              try {
                return method.invoke(connection, args);
              } catch (InvocationTargetException e) {
                throw e.getCause();
              }
            });
  }

  private static void restore(Connection connection, String original) throws SQLException {
    if (connection.isClosed()) {
      return;
    }
    try {
      connection.setSchema(original);
    } catch (SQLException | RuntimeException e) {
      // Better a connection fewer than one that answers in the wrong schema.
      connection.abort(Runnable::run);
      return;
    }
    connection.close();
  }

  @Override
  public Connection getConnection(String username, String password) throws SQLException {
    throw new SQLFeatureNotSupportedException("a schema view uses the pool's credentials");
  }

  @Override
  public PrintWriter getLogWriter() throws SQLException {
    return pool.getLogWriter();
  }

  @Override
  public void setLogWriter(PrintWriter out) throws SQLException {
    pool.setLogWriter(out);
  }

  @Override
  public void setLoginTimeout(int seconds) throws SQLException {
    pool.setLoginTimeout(seconds);
  }

  @Override
  public int getLoginTimeout() throws SQLException {
    return pool.getLoginTimeout();
  }

  @Override
  public Logger getParentLogger() throws SQLFeatureNotSupportedException {
    return pool.getParentLogger();
  }

  @Override
  public <T> T unwrap(Class<T> type) throws SQLException {
    if (type.isInstance(this)) {
      return type.cast(this);
    }
    throw new SQLException("not a wrapper for " + type.getName());
  }

  @Override
  public boolean isWrapperFor(Class<?> type) {
    return type.isInstance(this);
  }
}

package dev.privacykit.audit;

import dev.privacykit.storage.Database;
import dev.privacykit.storage.MigrationSource;
import dev.privacykit.storage.testing.TestDatabase;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.ServiceLoader;
import java.util.UUID;
import org.flywaydb.core.Flyway;

/**
 * A fresh PostgreSQL schema whose audit tables are partitioned every few entries: the partition
 * size is chosen before the audit migrations run, as an operator may. Closing it drops the schema.
 */
final class PartitionedSchema implements AutoCloseable {
  /** One partition of an audit table and its range [from, to). */
  record Partition(String name, long from, long to) {}

  final String url;
  final String schema;
  final Database database;

  private PartitionedSchema(String url, String schema, Database database) {
    this.url = url;
    this.schema = schema;
    this.database = database;
  }

  /** Migrated to the newest version, partitioned every {@code rows} entries. */
  static PartitionedSchema create(TestDatabase test, long rows) throws SQLException {
    PartitionedSchema created = prepare(test, rows);
    created.database.migrate();
    return created;
  }

  /**
   * Every module migrated, but the audit log only up to {@code auditVersion}: a database as an
   * older release left it. {@link Database#migrate()} then brings it up to date.
   */
  static PartitionedSchema createAt(TestDatabase test, long rows, String auditVersion)
      throws SQLException {
    PartitionedSchema created = prepare(test, rows);
    List<MigrationSource> sources = new ArrayList<>();
    ServiceLoader.load(MigrationSource.class).forEach(sources::add);
    sources.sort(Comparator.comparingInt(MigrationSource::order));
    for (MigrationSource source : sources) {
      // the same settings as Database.migrate(), with a target for the audit log
      var flyway =
          Flyway.configure()
              .dataSource(created.database.dataSource())
              .table("flyway_history_" + source.module())
              .locations(
                  "classpath:" + source.root() + "/common",
                  "classpath:" + source.root() + "/postgresql")
              .baselineOnMigrate(true)
              .baselineVersion("0")
              .failOnMissingLocations(false)
              .schemas(created.schema)
              .defaultSchema(created.schema);
      if (source.module().equals("audit")) {
        flyway.target(auditVersion);
      }
      flyway.load().migrate();
    }
    return created;
  }

  private static PartitionedSchema prepare(TestDatabase test, long rows) throws SQLException {
    String schema = "pk_partitions_" + UUID.randomUUID().toString().substring(0, 8);
    try (Connection c = DriverManager.getConnection(test.url());
        Statement s = c.createStatement()) {
      s.execute("CREATE SCHEMA " + schema);
      s.execute(
          "CREATE TABLE "
              + schema
              + ".audit_partitioning (id INTEGER PRIMARY KEY CHECK (id = 1),"
              + " rows_per_partition BIGINT NOT NULL CHECK (rows_per_partition > 0))");
      s.execute("INSERT INTO " + schema + ".audit_partitioning VALUES (1, " + rows + ")");
    }
    return new PartitionedSchema(
        test.url(), schema, Database.open(test.url(), c -> c.schema(schema)));
  }

  /** A connection as the database owner (a superuser), in this schema. */
  Connection owner() throws SQLException {
    Connection c = DriverManager.getConnection(url);
    c.setSchema(schema);
    return c;
  }

  /** The partitions of {@code parent}, from pg_inherits, in seq order. */
  List<Partition> partitions(String parent) throws SQLException {
    try (Connection c = owner();
        PreparedStatement p =
            c.prepareStatement(
                "SELECT c.relname, pg_get_expr(c.relpartbound, c.oid) FROM pg_inherits i"
                    + " JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = ?::regclass")) {
      p.setString(1, schema + "." + parent);
      List<Partition> out = new ArrayList<>();
      try (ResultSet rs = p.executeQuery()) {
        while (rs.next()) {
          // FOR VALUES FROM ('0') TO ('8')
          String[] bounds = rs.getString(2).replaceAll("[^0-9 ]", "").trim().split(" +");
          out.add(
              new Partition(rs.getString(1), Long.parseLong(bounds[0]), Long.parseLong(bounds[1])));
        }
      }
      out.sort(Comparator.comparingLong(Partition::from));
      return out;
    }
  }

  @Override
  public void close() throws SQLException {
    database.close();
    try (Connection c = DriverManager.getConnection(url);
        Statement s = c.createStatement()) {
      s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
    }
  }
}

package dev.privacykit.crypto;

import dev.privacykit.crypto.internal.Bytes;
import dev.privacykit.crypto.internal.Sql;
import dev.privacykit.storage.Database;
import dev.privacykit.storage.spi.Jdbis;
import java.security.GeneralSecurityException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Re-encrypts the ciphertexts of a table under the keyring's primary key, in batches, resumable:
 * each batch locks its rows, rewrites the ones whose key is not the primary, and moves the job's
 * checkpoint forward in the same transaction. A job that is stopped, or whose process dies, goes on
 * from its checkpoint when run again, so every row is re-encrypted exactly once.
 *
 * <pre>{@code
 * RewrapJob job = RewrapJob.builder(database, "customers-2026-11")
 *     .table("customers").idColumn("id").tenantColumn("tenant")
 *     .column("email", cipher).column("phone", cipher)
 *     .batchSize(500).maxRowsPerSecond(2_000)
 *     .build();
 * RewrapJob.Progress progress = job.run();
 * }</pre>
 *
 * <p>Ciphertext columns may hold the binary envelope or its base64url text form; each row's {@link
 * FieldContext} is (tenant, context table, column, id). A row whose value does not decrypt is left
 * as it is and counted in {@link Progress#rowsFailed()}; the log names its id, never its value.
 *
 * <p>Thread-safe: {@link #stop()} may be called from another thread while {@link #run()} runs.
 */
public final class RewrapJob {
  private static final Logger log = LoggerFactory.getLogger(RewrapJob.class);
  private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,62}");

  /**
   * Where a job stands.
   *
   * @param name the job's name
   * @param rowsScanned rows looked at so far
   * @param rowsRewrapped rows whose ciphertexts were re-encrypted
   * @param rowsFailed rows with a value that did not decrypt (left unchanged)
   * @param finished whether every row has been looked at
   */
  public record Progress(
      String name, long rowsScanned, long rowsRewrapped, long rowsFailed, boolean finished) {}

  private final Jdbi jdbi;
  private final String name;
  private final String table;
  private final String contextTable;
  private final String idColumn;
  private final String tenant;
  private final String tenantColumn;
  private final Map<String, FieldCipher> columns;
  private final int batchSize;
  private final int maxRowsPerSecond;
  private final String lockClause;
  private final Consumer<Progress> onBatch;
  private final AtomicBoolean stopping = new AtomicBoolean();

  private RewrapJob(Builder b) {
    this.jdbi = Jdbis.of(b.database);
    this.lockClause = b.database.dialect().lockRowsClause();
    this.name = b.name;
    this.table = b.table;
    this.contextTable = b.contextTable == null ? b.table : b.contextTable;
    this.idColumn = b.idColumn;
    this.tenant = b.tenant;
    this.tenantColumn = b.tenantColumn;
    this.columns = Map.copyOf(b.columns);
    this.batchSize = b.batchSize;
    this.maxRowsPerSecond = b.maxRowsPerSecond;
    this.onBatch = b.onBatch;
  }

  /** Starts a job named {@code name} (its checkpoint's key) on {@code database}. */
  public static Builder builder(Database database, String name) {
    return new Builder(database, name);
  }

  /**
   * Runs batches until every row has been looked at or {@link #stop()} is called; resumes from the
   * checkpoint of an earlier run. Returns the progress when it stops.
   */
  public Progress run() throws InterruptedException {
    stopping.set(false);
    boolean numericId = idIsNumeric();
    ensureCheckpoint();
    Progress progress = progress();
    long started = System.nanoTime();
    long rowsThisRun = 0;
    while (!progress.finished() && !stopping.get()) {
      int rows = jdbi.inTransaction(h -> batch(h, numericId));
      rowsThisRun += rows;
      progress = progress();
      onBatch.accept(progress);
      throttle(started, rowsThisRun);
    }
    if (progress.finished()) {
      log.info(
          "rewrap job {} finished: {} rows scanned, {} re-encrypted, {} failed",
          name,
          progress.rowsScanned(),
          progress.rowsRewrapped(),
          progress.rowsFailed());
    }
    return progress;
  }

  /** Asks a running {@link #run()} to stop after its current batch. */
  public void stop() {
    stopping.set(true);
  }

  /** The progress stored in the checkpoint. */
  public Progress progress() {
    return jdbi.withHandle(
        h ->
            h.createQuery(
                    "SELECT rows_scanned, rows_rewrapped, rows_failed, finished_at FROM"
                        + " crypto_rewrap_jobs WHERE name = :name")
                .bind("name", name)
                .map(
                    (rs, ctx) ->
                        new Progress(
                            name,
                            rs.getLong("rows_scanned"),
                            rs.getLong("rows_rewrapped"),
                            rs.getLong("rows_failed"),
                            rs.getObject("finished_at") != null))
                .findOne()
                .orElse(new Progress(name, 0, 0, 0, false)));
  }

  private int batch(Handle h, boolean numericId) {
    Optional<String> lastId =
        h.createQuery("SELECT last_id FROM crypto_rewrap_jobs WHERE name = :name " + lockClause)
            .bind("name", name)
            .mapTo(String.class)
            .findOne();
    List<String> selected = new ArrayList<>(columns.keySet());
    StringBuilder sql = new StringBuilder("SELECT ").append(idColumn);
    if (tenantColumn != null) {
      sql.append(", ").append(tenantColumn);
    }
    for (String column : selected) {
      sql.append(", ").append(column);
    }
    sql.append(" FROM ").append(table);
    if (lastId.isPresent()) {
      sql.append(" WHERE ").append(idColumn).append(" > :last");
    }
    sql.append(" ORDER BY ").append(idColumn).append(" LIMIT :limit ").append(lockClause);
    var query = h.createQuery(sql.toString()).bind("limit", batchSize);
    lastId.ifPresent(
        last -> {
          if (numericId) {
            query.bind("last", Long.parseLong(last));
          } else {
            query.bind("last", last);
          }
        });
    List<Map<String, Object>> rows = query.mapToMap().list();
    long rewrapped = 0;
    long failed = 0;
    String last = lastId.orElse(null);
    for (Map<String, Object> row : rows) {
      Object id = row.get(idColumn.toLowerCase(java.util.Locale.ROOT));
      String idText = String.valueOf(id);
      String rowTenant =
          tenantColumn == null
              ? tenant
              : String.valueOf(row.get(tenantColumn.toLowerCase(java.util.Locale.ROOT)));
      Map<String, Object> updates = new LinkedHashMap<>();
      boolean rowFailed = false;
      for (String column : selected) {
        Object value = row.get(column.toLowerCase(java.util.Locale.ROOT));
        if (value == null) {
          continue;
        }
        FieldCipher cipher = columns.get(column);
        FieldContext context = FieldContext.of(rowTenant, contextTable, column, idText);
        try {
          if (value instanceof byte[] bytes) {
            if (cipher.needsReEncryption(bytes)) {
              updates.put(column, cipher.rewrap(bytes, context));
            }
          } else {
            String text = value.toString();
            if (cipher.needsReEncryption(text)) {
              updates.put(
                  column, Bytes.toBase64Url(cipher.rewrap(Bytes.fromBase64Url(text), context)));
            }
          }
        } catch (GeneralSecurityException | IllegalArgumentException e) {
          rowFailed = true;
          log.warn(
              "rewrap job {}: row {} column {} does not decrypt; left as it is",
              name,
              idText,
              column);
        }
      }
      if (!updates.isEmpty()) {
        StringBuilder update = new StringBuilder("UPDATE ").append(table).append(" SET ");
        int i = 0;
        for (String column : updates.keySet()) {
          update.append(i++ == 0 ? "" : ", ").append(column).append(" = :").append(column);
        }
        update.append(" WHERE ").append(idColumn).append(" = :id");
        var statement = h.createUpdate(update.toString()).bind("id", id);
        updates.forEach(statement::bind);
        statement.execute();
        rewrapped++;
      }
      if (rowFailed) {
        failed++;
      }
      last = idText;
    }
    h.createUpdate(
            "UPDATE crypto_rewrap_jobs SET last_id = :last, rows_scanned = rows_scanned + :n,"
                + " rows_rewrapped = rows_rewrapped + :r, rows_failed = rows_failed + :f,"
                + " updated_at = :at, finished_at = :finished WHERE name = :name")
        .bind("last", last)
        .bind("n", rows.size())
        .bind("r", rewrapped)
        .bind("f", failed)
        .bind("at", Sql.now())
        .bind("finished", rows.size() < batchSize ? Sql.now() : null)
        .bind("name", name)
        .execute();
    return rows.size();
  }

  private void ensureCheckpoint() {
    jdbi.useHandle(
        h -> {
          boolean exists =
              h.createQuery("SELECT count(*) FROM crypto_rewrap_jobs WHERE name = :name")
                      .bind("name", name)
                      .mapTo(Integer.class)
                      .one()
                  > 0;
          if (!exists) {
            try {
              h.createUpdate(
                      "INSERT INTO crypto_rewrap_jobs (name, last_id, rows_scanned, rows_rewrapped,"
                          + " rows_failed, started_at, updated_at) VALUES (:name, NULL, 0, 0, 0,"
                          + " :at, :at)")
                  .bind("name", name)
                  .bind("at", Sql.now())
                  .execute();
            } catch (org.jdbi.v3.core.statement.UnableToExecuteStatementException e) {
              if (!Sql.isUniqueViolation(e)) {
                throw e;
              }
            }
          }
        });
  }

  private boolean idIsNumeric() {
    return jdbi.withHandle(
        h -> {
          String probe = "SELECT " + idColumn + " FROM " + table + " WHERE 1 = 0";
          try (var statement = h.getConnection().createStatement();
              var rs = statement.executeQuery(probe)) {
            int type = rs.getMetaData().getColumnType(1);
            return type == Types.BIGINT
                || type == Types.INTEGER
                || type == Types.SMALLINT
                || type == Types.NUMERIC
                || type == Types.DECIMAL;
          } catch (java.sql.SQLException e) {
            throw new dev.privacykit.storage.StorageException(
                "rewrap job " + name + ": cannot read column " + idColumn + " of table " + table);
          }
        });
  }

  private void throttle(long startedNanos, long rows) throws InterruptedException {
    if (maxRowsPerSecond <= 0) {
      return;
    }
    long dueNanos = rows * 1_000_000_000L / maxRowsPerSecond;
    long aheadMillis = (dueNanos - (System.nanoTime() - startedNanos)) / 1_000_000L;
    if (aheadMillis > 0) {
      Thread.sleep(aheadMillis);
    }
  }

  /** Settings of a {@link RewrapJob}; checked when set and when built. */
  public static final class Builder {
    private final Database database;
    private final String name;
    private String table;
    private String contextTable;
    private String idColumn;
    private String tenant;
    private String tenantColumn;
    private final Map<String, FieldCipher> columns = new LinkedHashMap<>();
    private int batchSize = 500;
    private int maxRowsPerSecond;
    private Consumer<Progress> onBatch = progress -> {};

    private Builder(Database database, String name) {
      this.database = Objects.requireNonNull(database, "database");
      if (name == null || name.isBlank() || name.length() > 200) {
        throw new IllegalArgumentException("name must be 1 to 200 characters");
      }
      this.name = name;
    }

    /** The table to re-encrypt. */
    public Builder table(String table) {
      this.table = identifier("table", table);
      return this;
    }

    /** The table name used in each row's context, when it differs from the SQL table. */
    public Builder contextTable(String contextTable) {
      this.contextTable = contextTable;
      return this;
    }

    /** The unique, ordered key column. */
    public Builder idColumn(String column) {
      this.idColumn = identifier("idColumn", column);
      return this;
    }

    /** One tenant for every row. */
    public Builder tenant(String tenant) {
      this.tenant = tenant;
      return this;
    }

    /** The column that holds each row's tenant. */
    public Builder tenantColumn(String column) {
      this.tenantColumn = identifier("tenantColumn", column);
      return this;
    }

    /** A ciphertext column and the cipher that made it. */
    public Builder column(String column, FieldCipher cipher) {
      columns.put(identifier("column", column), Objects.requireNonNull(cipher, "cipher"));
      return this;
    }

    /** Rows per batch (and per transaction): 1 to 10,000; 500 by default. */
    public Builder batchSize(int rows) {
      if (rows < 1 || rows > 10_000) {
        throw new IllegalArgumentException("batchSize must be 1 to 10000, was " + rows);
      }
      this.batchSize = rows;
      return this;
    }

    /** At most this many rows a second, to spare the database; 0 (the default) for no limit. */
    public Builder maxRowsPerSecond(int rows) {
      if (rows < 0) {
        throw new IllegalArgumentException("maxRowsPerSecond must be 0 or more, was " + rows);
      }
      this.maxRowsPerSecond = rows;
      return this;
    }

    /** Called after each committed batch with the progress, for reporting. */
    public Builder onBatch(Consumer<Progress> listener) {
      this.onBatch = Objects.requireNonNull(listener, "listener");
      return this;
    }

    /** Builds the job. */
    public RewrapJob build() {
      if (table == null || idColumn == null || columns.isEmpty()) {
        throw new IllegalArgumentException("table, idColumn and at least one column must be set");
      }
      if ((tenant == null) == (tenantColumn == null)) {
        throw new IllegalArgumentException("set exactly one of tenant and tenantColumn");
      }
      return new RewrapJob(this);
    }

    private static String identifier(String what, String value) {
      if (value == null || !IDENTIFIER.matcher(value).matches()) {
        throw new IllegalArgumentException(
            what + " must be a plain SQL identifier (letters, digits, '_'), was " + value);
      }
      return value;
    }
  }
}

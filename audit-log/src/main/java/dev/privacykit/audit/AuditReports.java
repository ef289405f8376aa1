package dev.privacykit.audit;

import dev.privacykit.audit.internal.EntryStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Reports over the audit log: the subject access report (GDPR Art. 15, DPDP s.11), the processing
 * summary (GDPR Art. 30), and streamed JSON or CSV export. Every report signs a checkpoint first
 * and covers exactly the entries in it. Thread-safe.
 */
public final class AuditReports {
  private static final String[] COLUMNS = {
    "seq",
    "recorded_at",
    "tenant",
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
    "submitted_by",
    "body_state",
    "body"
  };

  private final AuditLog log;
  private final java.util.function.Supplier<EntryStore> entries;

  AuditReports(AuditLog log, java.util.function.Supplier<EntryStore> entries) {
    this.log = log;
    this.entries = entries;
  }

  /** Receives records one at a time, oldest first. */
  @FunctionalInterface
  public interface RecordSink {
    /** Takes one record; an {@link IOException} stops the walk and is thrown on. */
    void accept(AuditRecord record) throws IOException;
  }

  /** Records fetched per query while streaming: bodies are up to 64 KiB, so a page stays small. */
  static final int PAGE = 100;

  /**
   * The subject access report for one subject, as of a checkpoint signed now, held in memory. For a
   * subject with a long history, stream it instead: {@link #forEach} with {@link
   * AuditQuery#tenant}{@code .subject(...)} holds one page at a time.
   */
  public SubjectAccessReport subjectAccess(String tenant, String subject) {
    Checkpoint checkpoint = log.checkpoint();
    List<AuditRecord> entries = new ArrayList<>();
    Set<String> purposes = new LinkedHashSet<>();
    Set<String> recipients = new LinkedHashSet<>();
    Set<String> actors = new LinkedHashSet<>();
    try {
      forEach(
          AuditQuery.tenant(tenant).subject(subject),
          checkpoint,
          record -> {
            entries.add(record);
            if (record.entry().purpose() != null) {
              purposes.add(record.entry().purpose());
            }
            if (record.entry().recipient() != null) {
              recipients.add(record.entry().recipient());
            }
            actors.add(record.entry().actor());
          });
    } catch (IOException e) {
      throw new UncheckedIOException(e); // the sink above does no I/O
    }
    return new SubjectAccessReport(
        tenant,
        subject,
        checkpoint,
        List.copyOf(entries),
        Set.copyOf(purposes),
        Set.copyOf(recipients),
        Set.copyOf(actors));
  }

  /**
   * Streams the records matching {@code query} (its limit ignored; from its {@code after}) that the
   * tree of {@code checkpoint} holds, oldest first, to {@code sink}: one page of {@value #PAGE}
   * records in memory at a time, whatever the number of records.
   */
  public void forEach(AuditQuery query, Checkpoint checkpoint, RecordSink sink) throws IOException {
    long after = query.afterSeq();
    while (true) {
      List<AuditRecord> page = log.query(query.after(after).limit(PAGE));
      for (AuditRecord record : page) {
        if (record.seq() >= checkpoint.size()) {
          return;
        }
        sink.accept(record);
        after = record.seq();
      }
      if (page.size() < PAGE) {
        return;
      }
    }
  }

  /** Counts per purpose, category and recipient of entries recorded in [from, to). */
  public ProcessingSummary processingSummary(String tenant, Instant from, Instant to) {
    Checkpoint checkpoint = log.checkpoint();
    List<Map<String, Object>> groups = entries.get().summary(tenant, from, to, checkpoint.size());
    TreeMap<String, long[]> counts = new TreeMap<>();
    Map<String, String[]> keys = new java.util.HashMap<>();
    for (Map<String, Object> group : groups) {
      String categories = (String) group.get("categories");
      String[] split = categories == null ? new String[] {null} : categories.split(",");
      for (String category : split) {
        String[] key = {(String) group.get("purpose"), category, (String) group.get("recipient")};
        String sortKey = String.valueOf(key[0]) + "\u0000" + key[1] + "\u0000" + key[2];
        keys.put(sortKey, key);
        counts.computeIfAbsent(sortKey, k -> new long[1])[0] +=
            ((Number) group.get("n")).longValue();
      }
    }
    List<ProcessingSummary.Row> rows = new ArrayList<>();
    counts.forEach(
        (sortKey, n) -> {
          String[] key = keys.get(sortKey);
          rows.add(new ProcessingSummary.Row(key[0], key[1], key[2], n[0]));
        });
    return new ProcessingSummary(tenant, from, to, checkpoint, List.copyOf(rows));
  }

  /**
   * Streams the entries matching {@code query} (its limit and page are ignored: everything up to a
   * checkpoint signed now) to {@code out}, without holding them in memory. Bodies are decrypted
   * where their subject's key still exists.
   */
  public Checkpoint export(AuditQuery query, ExportFormat format, Writer out) {
    Checkpoint checkpoint = log.checkpoint();
    try {
      if (format == ExportFormat.JSON) {
        out.write(
            "{\"checkpoint\":{\"origin\":"
                + ExportText.json(checkpoint.origin())
                + ",\"size\":"
                + checkpoint.size()
                + ",\"root\":"
                + ExportText.json(checkpoint.rootHex())
                + ",\"note\":"
                + ExportText.json(checkpoint.note())
                + "},\"entries\":[");
      } else {
        out.write(String.join(",", COLUMNS) + "\r\n");
      }
      boolean[] first = {true};
      forEach(
          query,
          checkpoint,
          record -> {
            write(record, format, out, first[0]);
            first[0] = false;
          });
      if (format == ExportFormat.JSON) {
        out.write("]}");
      }
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return checkpoint;
  }

  private static void write(AuditRecord r, ExportFormat format, Writer out, boolean first)
      throws IOException {
    AuditEntry e = r.entry();
    String[] stored = e.storedFields();
    String[] values = new String[stored.length + 4];
    values[0] = Long.toString(r.seq());
    values[1] = r.recordedAt().toString();
    System.arraycopy(stored, 0, values, 2, stored.length);
    values[stored.length + 2] = r.body().name();
    values[stored.length + 3] = e.body();
    if (format == ExportFormat.CSV) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < values.length; i++) {
        line.append(i == 0 ? "" : ",").append(ExportText.csv(values[i]));
      }
      out.write(line.append("\r\n").toString());
      return;
    }
    StringBuilder json = new StringBuilder(first ? "{" : ",{");
    for (int i = 0; i < values.length; i++) {
      json.append(i == 0 ? "" : ",").append('"').append(COLUMNS[i]).append("\":");
      json.append(i == 0 ? values[i] : ExportText.json(values[i]));
    }
    out.write(json.append('}').toString());
  }
}

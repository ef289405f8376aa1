package dev.privacykit.consent;

import dev.privacykit.audit.Action;
import dev.privacykit.audit.AuditEntry;
import dev.privacykit.audit.AuditLog;
import dev.privacykit.audit.AuditQuery;
import dev.privacykit.audit.AuditRecord;
import dev.privacykit.audit.AuditRouter;
import dev.privacykit.audit.Outcome;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Reads the audit log for what {@link Incidents} turns into candidates: per actor in a window, the
 * decrypts, the exports and the denied accesses, against the configured thresholds; and the
 * distinct subjects of an {@link AffectedSearch}. Reads pages of 1000, bounded by the log's size
 * when the read began, at most {@link #MAX_ENTRIES} entries. Thread-safe (holds no state).
 */
final class IncidentDetector {
  /** The most entries one scan or search reads. */
  static final int MAX_ENTRIES = 1_000_000;

  /** The most principals one search attaches. */
  static final int MAX_SUBJECTS = 100_000;

  /** A pattern over a threshold: what raises a candidate. */
  record Signal(
      String kind, String actor, long count, int threshold, Set<String> categories, int subjects) {
    /** The candidate's key: one per tenant, kind, actor and window. */
    String key(Instant from, Instant to) {
      String key = kind + ":" + actor + ":" + from + "/" + to;
      return key.length() > 512 ? key.substring(0, 512) : key;
    }

    /** What the candidate says: the pattern, its categories and counts, the window's start. */
    IncidentDetails details(Instant from, Instant to) {
      String nature =
          kind.replace('_', ' ')
              + ": "
              + count
              + " audit entries by actor '"
              + actor
              + "' between "
              + from
              + " and "
              + to
              + " (threshold "
              + threshold
              + ")";
      return new IncidentDetails(
          nature,
          List.copyOf(categories),
          (long) subjects,
          count,
          null,
          null,
          null,
          from,
          null,
          null,
          null,
          null,
          null);
    }
  }

  private final AuditRouter audit;
  private final IncidentsConfig config;

  IncidentDetector(AuditRouter audit, IncidentsConfig config) {
    this.audit = audit;
    this.config = config;
  }

  /** The signals of one tenant's entries in {@code [from, to)}, by kind then actor. */
  List<Signal> scan(String tenant, Instant from, Instant to) {
    Map<String, Tally> tallies = new TreeMap<>();
    read(
        tenant,
        AuditQuery.tenant(tenant).between(from, to),
        entry -> {
          if (entry.actor().equals(config.actor)) {
            return;
          }
          String kind = kind(entry);
          if (kind != null) {
            tallies.computeIfAbsent(kind + "\n" + entry.actor(), k -> new Tally()).add(entry);
          }
        });
    List<Signal> signals = new ArrayList<>();
    tallies.forEach(
        (key, tally) -> {
          String kind = key.substring(0, key.indexOf('\n'));
          String actor = key.substring(key.indexOf('\n') + 1);
          int threshold = threshold(kind);
          if (tally.count >= threshold) {
            signals.add(
                new Signal(
                    kind, actor, tally.count, threshold, tally.categories, tally.subjects.size()));
          }
        });
    return signals;
  }

  /** The distinct subjects of the entries {@code search} selects, sorted. */
  Set<String> affected(String tenant, AffectedSearch search) {
    AuditQuery query = AuditQuery.tenant(tenant).between(search.from(), search.to());
    if (search.actor() != null) {
      query = query.actor(search.actor());
    }
    if (search.purpose() != null) {
      query = query.purpose(search.purpose());
    }
    Set<String> subjects = new TreeSet<>();
    read(
        tenant,
        query,
        entry -> {
          if (entry.subject() != null
              && !entry.actor().equals(config.actor)
              && (search.category() == null || entry.categories().contains(search.category()))) {
            subjects.add(entry.subject());
            if (subjects.size() > MAX_SUBJECTS) {
              throw new ConsentException(
                  ConsentException.Kind.TOO_LARGE,
                  "the search finds more than " + MAX_SUBJECTS + " principals; narrow it");
            }
          }
        });
    return subjects;
  }

  private void read(String tenant, AuditQuery query, java.util.function.Consumer<AuditEntry> sink) {
    AuditLog audit = this.audit.forTenant(tenant);
    audit.sync().join(); // what was appended before the read is in it
    AuditQuery page = query.limit(1_000).before(audit.size());
    long read = 0;
    while (true) {
      List<AuditRecord> records = audit.query(page);
      for (AuditRecord record : records) {
        sink.accept(record.entry());
      }
      read += records.size();
      if (records.size() < 1_000) {
        return;
      }
      if (read >= MAX_ENTRIES) {
        throw new ConsentException(
            ConsentException.Kind.TOO_LARGE,
            "the window holds more than " + MAX_ENTRIES + " audit entries; narrow it");
      }
      page = page.after(records.get(records.size() - 1).seq());
    }
  }

  private static String kind(AuditEntry entry) {
    if (entry.action() == Action.DECRYPT && entry.outcome() == Outcome.SUCCESS) {
      return "unusual_decrypts";
    }
    if (entry.action() == Action.EXPORT && entry.outcome() == Outcome.SUCCESS) {
      return "unusual_exports";
    }
    if (entry.action() == Action.ACCESS_DENIED || entry.outcome() == Outcome.DENIED) {
      return "repeated_denials";
    }
    return null;
  }

  private int threshold(String kind) {
    return switch (kind) {
      case "unusual_decrypts" -> config.decryptThreshold;
      case "unusual_exports" -> config.exportThreshold;
      default -> config.deniedThreshold;
    };
  }

  private static final class Tally {
    long count;
    final Set<String> categories = new TreeSet<>();
    final Set<String> subjects = new HashSet<>();

    void add(AuditEntry entry) {
      count++;
      for (String category : entry.categories()) {
        if (categories.size() < 64) {
          categories.add(category);
        }
      }
      if (entry.subject() != null && subjects.size() < MAX_SUBJECTS) {
        subjects.add(entry.subject());
      }
    }
  }
}

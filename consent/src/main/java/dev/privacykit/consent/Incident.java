package dev.privacykit.consent;

import dev.privacykit.policies.Regime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * An incident of the breach register with its clocks as of when it was read.
 *
 * <p>Clocks run from {@code detectedAt}, when the fiduciary became aware (a candidate's is when the
 * detector raised it: confirming late does not restart them): the authority (the supervisory
 * authority, GDPR Art. 33(1); the Data Protection Board, DPDP s.8(6) and rule 7(2)) is due 72 hours
 * later; the affected principals (GDPR Art. 34(1) "without undue delay", rule 7(1) "without delay")
 * at once, so they are overdue until notified; under DPDP the detailed report of rule 7(2)(b) is
 * due 72 hours later too. {@code overdue} names the clocks running late ({@code authority}, {@code
 * principals}, {@code report}) while the incident is neither a candidate nor closed or dismissed.
 *
 * @param id the incident's id
 * @param tenant its tenant
 * @param regime the law it is handled under
 * @param status where it stands
 * @param source {@code manual}, or the detector signal that raised it
 * @param detectedAt when the fiduciary became aware of it
 * @param recordedAt when it entered the register
 * @param details what is known of it
 * @param authorityDueAt when the authority must have been notified
 * @param authorityNotifiedAt when it was, or null
 * @param authorityReference the authority's reference for the notification, or null
 * @param principalsDueAt when the affected principals must have been told (at once)
 * @param principalsNotifiedAt when the first notices were queued, or null
 * @param reportDueAt under DPDP, when the rule 7(2)(b) report is due; null under GDPR
 * @param reportFiledAt when that report was filed, or null
 * @param reportReference the Board's reference for the report, or null
 * @param principals how many affected principals are attached
 * @param notices how many of them have a {@code breach.notice} queued
 * @param delivered how many of those notices a recipient has acknowledged
 * @param overdue the clocks running late, in the order authority, principals, report
 */
public record Incident(
    String id,
    String tenant,
    Regime regime,
    IncidentStatus status,
    String source,
    Instant detectedAt,
    Instant recordedAt,
    IncidentDetails details,
    Instant authorityDueAt,
    Instant authorityNotifiedAt,
    String authorityReference,
    Instant principalsDueAt,
    Instant principalsNotifiedAt,
    Instant reportDueAt,
    Instant reportFiledAt,
    String reportReference,
    long principals,
    long notices,
    long delivered,
    List<String> overdue) {
  /** Hours from awareness to the authority's notification and the DPDP detailed report. */
  public static final Duration AUTHORITY_WINDOW = Duration.ofHours(72);

  /** Copies the list. */
  public Incident {
    overdue = List.copyOf(overdue);
  }

  /** Whether any clock is running late. */
  public boolean isOverdue() {
    return !overdue.isEmpty();
  }

  /**
   * When the authority is due for an incident the fiduciary became aware of at {@code detected}.
   */
  static Instant authorityDue(Instant detected) {
    return detected.plus(AUTHORITY_WINDOW);
  }

  /** When the rule 7(2)(b) report is due: 72 hours under DPDP, none under GDPR. */
  static Instant reportDue(Regime regime, Instant detected) {
    return regime == Regime.DPDP ? detected.plus(AUTHORITY_WINDOW) : null;
  }

  /** The clocks running late at {@code now}. */
  static List<String> overdue(
      IncidentStatus status,
      Regime regime,
      Instant detected,
      Instant authorityNotified,
      Instant reportFiled,
      long principals,
      long notices,
      Instant principalsNotified,
      Instant now) {
    List<String> late = new ArrayList<>();
    if (status == IncidentStatus.CANDIDATE || status.isFinal()) {
      return late;
    }
    if (authorityNotified == null && now.isAfter(authorityDue(detected))) {
      late.add("authority");
    }
    if (principalsNotified == null || notices < principals) {
      late.add("principals");
    }
    Instant report = reportDue(regime, detected);
    if (report != null && reportFiled == null && now.isAfter(report)) {
      late.add("report");
    }
    return late;
  }
}

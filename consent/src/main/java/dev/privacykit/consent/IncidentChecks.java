package dev.privacykit.consent;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** The checks the steps of {@link Incidents} share: times, references, statuses. Stateless. */
final class IncidentChecks {
  private IncidentChecks() {}

  static Instant nextDue(Incident i, Instant far) {
    Instant next = far;
    if (i.authorityNotifiedAt() == null) {
      next = i.authorityDueAt();
    }
    if (i.reportDueAt() != null && i.reportFiledAt() == null && i.reportDueAt().isBefore(next)) {
      next = i.reportDueAt();
    }
    return next;
  }

  static Instant doneAt(Incident incident, Instant at, Instant now) {
    Instant done = at == null ? now : notAhead("at", at, now);
    if (done.isBefore(incident.detectedAt())) {
      throw IncidentDetails.invalid("at", "at must not be before the incident was detected");
    }
    return done;
  }

  static Instant notAhead(String field, Instant value, Instant now) {
    if (value == null) {
      throw IncidentDetails.invalid(field, field + " is required");
    }
    if (value.isAfter(now.plus(Incidents.FUTURE_TOLERANCE))) {
      throw IncidentDetails.invalid(
          field, field + " must not lie more than 5 minutes in the future");
    }
    return value.truncatedTo(ChronoUnit.MICROS);
  }

  static String reference(String field, String value) {
    if (value != null && (value.isBlank() || value.length() > 256)) {
      throw IncidentDetails.invalid(field, field + " must be 1 to 256 characters");
    }
    return value;
  }

  static boolean handling(Incident incident) {
    return incident.status() == IncidentStatus.OPEN
        || incident.status() == IncidentStatus.CONTAINED;
  }

  static void requireHandling(Incident incident) {
    if (!handling(incident)) {
      throw transition(
          "incident "
              + incident.id()
              + " is "
              + incident.status()
              + "; the step needs it OPEN or CONTAINED");
    }
  }

  static void requireNotFinal(Incident incident) {
    if (incident.status().isFinal()) {
      throw transition("incident " + incident.id() + " is " + incident.status() + " and final");
    }
  }

  static ConsentException transition(String message) {
    return new ConsentException(ConsentException.Kind.INVALID_TRANSITION, message);
  }
}

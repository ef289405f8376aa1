package dev.privacykit.consent;

import dev.privacykit.policies.Regime;
import java.util.List;
import java.util.Objects;

/**
 * A data-subject request as it is taken in.
 *
 * @param tenant the tenant
 * @param subject the subject's pseudonymous reference
 * @param type the right exercised
 * @param regime the law whose deadline applies
 * @param identityVerified whether the requester's identity is already verified; if not the clock
 *     waits until it is
 * @param purposes the purposes a restriction or objection concerns; empty for all of them (the
 *     other request types ignore it)
 * @param filedBy who filed it
 */
public record RequestIntake(
    String tenant,
    String subject,
    RequestType type,
    Regime regime,
    boolean identityVerified,
    List<String> purposes,
    RequestFiler filedBy) {

  /** Copies the purposes. */
  public RequestIntake {
    purposes = List.copyOf(Objects.requireNonNull(purposes, "purposes"));
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(regime, "regime");
    Objects.requireNonNull(filedBy, "filedBy");
  }

  /** A request the fiduciary records, for every purpose. */
  public static RequestIntake of(
      String tenant, String subject, RequestType type, Regime regime, boolean identityVerified) {
    return new RequestIntake(
        tenant, subject, type, regime, identityVerified, List.of(), RequestFiler.FIDUCIARY);
  }

  /** This intake limited to {@code purposes}. */
  public RequestIntake purposes(List<String> purposes) {
    return new RequestIntake(tenant, subject, type, regime, identityVerified, purposes, filedBy);
  }

  /** This intake as filed by {@code filedBy}. */
  public RequestIntake filedBy(RequestFiler filedBy) {
    return new RequestIntake(tenant, subject, type, regime, identityVerified, purposes, filedBy);
  }
}

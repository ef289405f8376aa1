package dev.privacykit.consent;

import java.time.Instant;

/**
 * How a parent or lawful guardian was verified: the method, a reference to what was checked, who
 * checked it and when. Never the identity document itself.
 *
 * @param method the means the DPDP Rules name (Rule 10 for a child's parent, Rule 11 for a lawful
 *     guardian)
 * @param reference a reference to what was checked: a token's id, an order's number, a record's key
 * @param issuer who issued the token or order (an authorised entity such as a DigiLocker service
 *     provider, a court, an authority), or null where the method needs none
 * @param verifiedAt when the fiduciary verified it
 * @param verifiedBy who verified it (the fiduciary's operator or system)
 */
public record GuardianVerification(
    Method method, String reference, String issuer, Instant verifiedAt, String verifiedBy) {

  /** The means of verification. */
  public enum Method {
    /**
     * Reliable details of identity and age already available with the fiduciary (DPDP Rule
     * 10(1)(a)).
     */
    HELD_DETAILS(true, false),
    /** Details of identity and age voluntarily provided by the individual (Rule 10(1)(b)(i)). */
    DECLARED_DETAILS(true, false),
    /**
     * A virtual token mapped to details of identity and age, issued by an authorised entity, such
     * as one made available by a Digital Locker service provider (Rule 10(1)(b)(ii)); names its
     * issuer.
     */
    VIRTUAL_TOKEN(true, true),
    /** An order of a court appointing the lawful guardian (Rule 11); names the court. */
    COURT_ORDER(false, true),
    /**
     * Appointment by a designated authority under the law on the rights of persons with
     * disabilities (Rule 11); names the authority.
     */
    DESIGNATED_AUTHORITY(false, true),
    /** Appointment by a local level committee under the law on guardianship (Rule 11). */
    LOCAL_LEVEL_COMMITTEE(false, true);

    private final boolean parentOfChild;
    private final boolean needsIssuer;

    Method(boolean parentOfChild, boolean needsIssuer) {
      this.parentOfChild = parentOfChild;
      this.needsIssuer = needsIssuer;
    }

    /**
     * Whether it verifies a parent's adulthood and identity (Rule 10); the others verify a lawful
     * guardian's appointment (Rule 11).
     */
    public boolean verifiesParent() {
      return parentOfChild;
    }

    /** Whether the verification names who issued the token or order. */
    public boolean needsIssuer() {
      return needsIssuer;
    }
  }
}

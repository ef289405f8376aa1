package dev.privacykit.policies;

/**
 * What a purpose means for a child's data: whether it tracks or monitors behaviour, targets
 * advertising, or is likely to harm a child's well-being, and which exemption of the Fourth
 * Schedule to the DPDP Rules it falls under, if any.
 *
 * @param tracking whether it tracks or monitors the behaviour of the data principal (DPDP s.9(3))
 * @param targetedAdvertising whether it directs targeted advertising at the data principal (DPDP
 *     s.9(3); GDPR Recital 38)
 * @param detrimental whether it is likely to cause a detrimental effect on the well-being of a
 *     child (DPDP s.9(2)): never allowed for a child, whatever the exemption
 * @param exemption the exemption of the Fourth Schedule it falls under (lifting s.9(1) and s.9(3)
 *     within its condition), or null
 */
public record ChildSafety(
    boolean tracking, boolean targetedAdvertising, boolean detrimental, FourthSchedule exemption) {

  /** A purpose that does none of these and claims no exemption. */
  public static final ChildSafety NONE = new ChildSafety(false, false, false, null);

  /** Whether s.9(3) bars it for a child unless exempt. */
  public boolean tracksOrTargets() {
    return tracking || targetedAdvertising;
  }
}

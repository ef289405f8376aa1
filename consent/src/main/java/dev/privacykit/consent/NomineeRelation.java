package dev.privacykit.consent;

/**
 * How a nominee is related to the Data Principal who named her. A closed list rather than free
 * text, so the register holds no more about the nominee than it needs.
 */
public enum NomineeRelation {
  SPOUSE,
  PARTNER,
  CHILD,
  PARENT,
  SIBLING,
  RELATIVE,
  FRIEND,
  LEGAL_REPRESENTATIVE,
  OTHER
}

package dev.privacykit.consent;

/** Who acted for the data subject (DPDP s.9 guardians of children, s.14 nominees). */
public enum ActingParty {
  SELF,
  GUARDIAN,
  NOMINEE
}

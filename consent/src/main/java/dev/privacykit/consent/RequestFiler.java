package dev.privacykit.consent;

/** Who filed a data-subject request. */
public enum RequestFiler {
  /** The fiduciary (controller) recorded it for the subject: a call centre, an e-mail, a letter. */
  FIDUCIARY,
  /** The data principal filed it themselves with their own token ({@code /v1/me/requests}). */
  SUBJECT,
  /**
   * A nominee of the subject filed it, acting for the subject while a death or incapacity is
   * recorded (DPDP Act s.14; {@link Nominations#fileFor}).
   */
  NOMINEE
}

package dev.privacykit.policies;

/**
 * Someone personal data is disclosed to, for reports of whom data was shared with.
 *
 * @param id the id purposes refer to
 * @param name the legal name
 * @param role {@code processor}, {@code controller}, {@code joint_controller} or {@code
 *     public_authority}
 * @param country ISO 3166 alpha-2 country, or null
 * @param safeguard what a transfer to it rests on when it is in a third country, or null
 */
public record Recipient(String id, String name, String role, String country, Safeguard safeguard) {

  /** A recipient without a transfer safeguard. */
  public Recipient(String id, String name, String role, String country) {
    this(id, name, role, country, null);
  }
}

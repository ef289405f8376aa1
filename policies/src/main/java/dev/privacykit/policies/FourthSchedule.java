package dev.privacykit.policies;

import java.util.Arrays;
import java.util.Optional;

/**
 * The exemptions of the Fourth Schedule to the DPDP Rules 2025 (Rule 12): the classes of Data
 * Fiduciaries (Part A) and the purposes (Part B) for which s.9(1) (verifiable consent of the parent
 * or lawful guardian) and s.9(3) (no tracking, behavioural monitoring or targeted advertising) do
 * not apply, each within its condition. No exemption lifts s.9(2): processing likely to cause a
 * detrimental effect on the well-being of a child is never allowed.
 *
 * <p>A policy names an exemption on a purpose ({@code child_exemption}); a Part A exemption also
 * needs the policy to declare the fiduciary's class ({@code children.fiduciary_class}).
 */
public enum FourthSchedule {
  /** Part A item 1. */
  A1_CLINICAL(
      'A',
      "a clinical establishment, mental health establishment or healthcare professional",
      "restricted to provision of health services to the child, to the extent necessary for the"
          + " protection of her health"),
  /** Part A item 2. */
  A2_ALLIED_HEALTH(
      'A',
      "an allied healthcare professional",
      "restricted to supporting implementation of any healthcare treatment and referral plan"
          + " recommended by such professional for the child"),
  /** Part A item 3. */
  A3_EDUCATIONAL(
      'A',
      "an educational institution",
      "restricted to tracking and behavioural monitoring for its educational activities or in the"
          + " interests of safety of children enrolled with it"),
  /** Part A item 4. */
  A4_CRECHE(
      'A',
      "an individual in whose care infants and children in a creche or child day care centre are"
          + " entrusted",
      "restricted to tracking and behavioural monitoring in the interests of safety of the"
          + " children entrusted"),
  /** Part A item 5. */
  A5_SCHOOL_TRANSPORT(
      'A',
      "engaged by an educational institution, creche or child care centre for transport of"
          + " children enrolled with it",
      "restricted to tracking the location of such children, in the interests of their safety,"
          + " during their travel to and from the institution"),
  /** Part B item 1. */
  B1_LEGAL_DUTY(
      'B',
      "the exercise of any power, performance of any function or discharge of any duties in the"
          + " interests of a child, under any law in force in India",
      "restricted to the extent necessary for such exercise, performance or discharge"),
  /** Part B item 2. */
  B2_STATE_BENEFIT(
      'B',
      "providing or issuing any subsidy, benefit, service, certificate, licence or permit under"
          + " s.7(b) of the Act, in the interests of a child",
      "restricted to the extent necessary for such provision or issuance"),
  /** Part B item 3. */
  B3_EMAIL_ACCOUNT(
      'B',
      "the creation of a user account for communicating by email",
      "restricted to the extent necessary for creating such user account, the use of which is"
          + " limited to communication by email"),
  /** Part B item 4. */
  B4_REALTIME_LOCATION(
      'B',
      "the determination of real-time location of a child",
      "restricted to the tracking of real-time location of such child, in the interest of her"
          + " safety and protection or security"),
  /** Part B item 5. */
  B5_HARM_FILTERING(
      'B',
      "ensuring that any information, service or advertisement likely to cause any detrimental"
          + " effect on the well-being of a child is not accessible to her",
      "restricted to the extent necessary to ensure that it is not accessible to the child"),
  /** Part B item 6. */
  B6_AGE_ASSURANCE(
      'B',
      "confirmation by the Data Fiduciary that the Data Principal is not a child and observance"
          + " of due diligence under rule 10",
      "restricted to the extent necessary for such confirmation or observance");

  private final char part;
  private final String text;
  private final String condition;

  FourthSchedule(char part, String text, String condition) {
    this.part = part;
    this.text = text;
    this.condition = condition;
  }

  /** {@code A} for a class of Data Fiduciaries, {@code B} for a purpose. */
  public char part() {
    return part;
  }

  /** The class or purpose, as the Schedule words it (shortened where marked). */
  public String text() {
    return text;
  }

  /** The condition the Schedule puts on the exemption. */
  public String condition() {
    return condition;
  }

  /** The id policies use, such as {@code b3_email_account}. */
  public String code() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }

  /** The citation, such as {@code DPDP Rules 2025, Fourth Schedule, Part B item 3}. */
  public String citation() {
    return "DPDP Rules 2025, Fourth Schedule, Part " + part + " item " + name().charAt(1);
  }

  /** The exemption with this id. */
  public static Optional<FourthSchedule> ofCode(String code) {
    return Arrays.stream(values()).filter(e -> e.code().equals(code)).findFirst();
  }
}

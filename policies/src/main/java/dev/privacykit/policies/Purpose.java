package dev.privacykit.policies;

import java.time.Period;
import java.util.List;
import java.util.Set;

/**
 * Why personal data is processed, on which legal ground, which data, and under which notice.
 *
 * @param id the id routes and consents refer to
 * @param title a human title
 * @param description what the processing is, for notices and reports
 * @param basis the lawful basis
 * @param art9Condition the GDPR Art. 9(2) condition for special categories, or null
 * @param categories the data categories it may use (each covers its children)
 * @param notice the notice consent is asked under, or null when consent is not the basis
 * @param consentValidity how long a consent stays valid, or null for no limit
 * @param gpc whether it counts as sale, sharing or targeted advertising, so that a Global Privacy
 *     Control signal opts the subject out
 * @param explicitOptInOverridesGpc whether an explicit opt-in recorded after a GPC signal wins
 * @param recipients the recipients data is disclosed to for this purpose
 * @param actors the roles or scopes allowed to process for it; empty for any authenticated actor
 * @param directMarketing whether it is direct marketing, so that an objection to it always stands
 *     (GDPR Art. 21(3)) and takes effect when it is made
 * @param automatedDecision whether it makes decisions based solely on automated processing with
 *     legal or similarly significant effects (GDPR Art. 22), which only the bases Art. 22(2) allows
 *     may carry, and which the subject may ask a person to review
 * @param subjects the categories of data subjects it concerns (customers, employees, ...), for the
 *     record of processing activities; empty when the policy does not say
 * @param children what it means for a child's data: tracking, targeted advertising, harm to
 *     well-being, and the Fourth Schedule exemption it falls under ({@link ChildSafety#NONE} when
 *     none)
 */
public record Purpose(
    String id,
    String title,
    String description,
    LawfulBasis basis,
    Art9Condition art9Condition,
    Set<String> categories,
    String notice,
    Period consentValidity,
    boolean gpc,
    boolean explicitOptInOverridesGpc,
    List<String> recipients,
    Set<String> actors,
    boolean directMarketing,
    boolean automatedDecision,
    List<String> subjects,
    ChildSafety children) {

  /** Copies the collections. */
  public Purpose {
    categories = Set.copyOf(categories);
    recipients = List.copyOf(recipients);
    actors = Set.copyOf(actors);
    subjects = List.copyOf(subjects);
    children = children == null ? ChildSafety.NONE : children;
  }

  /** A purpose that says nothing of children's data. */
  public Purpose(
      String id,
      String title,
      String description,
      LawfulBasis basis,
      Art9Condition art9Condition,
      Set<String> categories,
      String notice,
      Period consentValidity,
      boolean gpc,
      boolean explicitOptInOverridesGpc,
      List<String> recipients,
      Set<String> actors,
      boolean directMarketing,
      boolean automatedDecision,
      List<String> subjects) {
    this(
        id,
        title,
        description,
        basis,
        art9Condition,
        categories,
        notice,
        consentValidity,
        gpc,
        explicitOptInOverridesGpc,
        recipients,
        actors,
        directMarketing,
        automatedDecision,
        subjects,
        ChildSafety.NONE);
  }

  /** A purpose that does not say whose data it concerns. */
  public Purpose(
      String id,
      String title,
      String description,
      LawfulBasis basis,
      Art9Condition art9Condition,
      Set<String> categories,
      String notice,
      Period consentValidity,
      boolean gpc,
      boolean explicitOptInOverridesGpc,
      List<String> recipients,
      Set<String> actors) {
    this(
        id,
        title,
        description,
        basis,
        art9Condition,
        categories,
        notice,
        consentValidity,
        gpc,
        explicitOptInOverridesGpc,
        recipients,
        actors,
        false,
        false,
        List.of(),
        ChildSafety.NONE);
  }

  /** Whether processing for this purpose needs the subject's valid consent. */
  public boolean requiresConsent() {
    return basis.requiresConsent() || (art9Condition != null && art9Condition.requiresConsent());
  }
}

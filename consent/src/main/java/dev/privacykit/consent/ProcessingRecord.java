package dev.privacykit.consent;

import dev.privacykit.audit.ProcessingSummary;
import dev.privacykit.policies.Controller;
import dev.privacykit.policies.Regime;
import java.time.Instant;
import java.util.List;

/**
 * A record of processing activities (GDPR Art. 30(1); kept as a Data Fiduciary's register under the
 * DPDP Act), computed by {@link RecordsOfProcessing} from the policy and the audit log. Immutable.
 *
 * @param tenant the tenant whose processing was counted
 * @param policyName the policy's name
 * @param regime the law the policy is written for
 * @param generatedAt when it was computed
 * @param controller the controller, DPO and representative (Art. 30(1)(a)), or null when the policy
 *     names none
 * @param activities one per purpose (Art. 30(1)(b), (c), (f)), in policy order
 * @param recipients every recipient with its country and safeguard (Art. 30(1)(d)), in policy order
 * @param measures the security measures (Art. 30(1)(g)): PrivacyKit's own, then the policy's
 * @param processing what the audit log shows happened per purpose, category and recipient over the
 *     window, with the signed checkpoint it was computed against
 */
public record ProcessingRecord(
    String tenant,
    String policyName,
    Regime regime,
    Instant generatedAt,
    Controller controller,
    List<Activity> activities,
    List<Disclosure> recipients,
    List<Measure> measures,
    ProcessingSummary processing) {

  /** Copies the lists. */
  public ProcessingRecord {
    activities = List.copyOf(activities);
    recipients = List.copyOf(recipients);
    measures = List.copyOf(measures);
  }

  /** The transfers to third countries (Art. 30(1)(e)): recipients outside the home region. */
  public List<Disclosure> transfers() {
    return recipients.stream().filter(Disclosure::thirdCountry).toList();
  }

  /**
   * One processing activity: a purpose.
   *
   * @param purpose the purpose's id
   * @param title its title, or null
   * @param description its description, or null
   * @param lawfulBasis the basis code, such as {@code gdpr:contract}
   * @param lawfulBasisCitation the provision, such as {@code GDPR Art. 6(1)(b) contract}
   * @param art9Condition the Art. 9(2) condition code, or null
   * @param dataSubjects the categories of data subjects (the purpose's {@code subjects:})
   * @param categories the categories of personal data
   * @param recipients the ids of the recipients data goes to for it
   * @param retention how long each category is kept for it
   */
  public record Activity(
      String purpose,
      String title,
      String description,
      String lawfulBasis,
      String lawfulBasisCitation,
      String art9Condition,
      List<String> dataSubjects,
      List<Category> categories,
      List<String> recipients,
      List<Retention> retention) {
    /** Copies the lists. */
    public Activity {
      dataSubjects = List.copyOf(dataSubjects);
      categories = List.copyOf(categories);
      recipients = List.copyOf(recipients);
      retention = List.copyOf(retention);
    }
  }

  /**
   * A category of personal data.
   *
   * @param id its dot-keyed id
   * @param title its title
   * @param special its special category (GDPR Art. 9), or null
   */
  public record Category(String id, String title, String special) {}

  /**
   * The time limit for erasure of one category for one purpose.
   *
   * @param category the category
   * @param period ISO 8601 period, or null when no rule applies
   * @param then {@code delete} or {@code anonymise}, or null
   * @param rule which rule applies: {@code purpose}, {@code category:<id>}, or null
   */
  public record Retention(String category, String period, String then, String rule) {}

  /**
   * A recipient.
   *
   * @param id its id
   * @param name its legal name, or null
   * @param role its role
   * @param country ISO 3166 alpha-2, or null when not stated
   * @param thirdCountry whether it is outside the policy's home region (a transfer)
   * @param safeguard the safeguard code, or null
   * @param safeguardCitation the provision of the safeguard, or null
   * @param purposes the purposes that disclose to it
   */
  public record Disclosure(
      String id,
      String name,
      String role,
      String country,
      boolean thirdCountry,
      String safeguard,
      String safeguardCitation,
      List<String> purposes) {
    /** Copies the list. */
    public Disclosure {
      purposes = List.copyOf(purposes);
    }
  }

  /**
   * A technical or organisational security measure.
   *
   * @param measure what it is
   * @param source {@code privacykit} (enforced by PrivacyKit itself) or {@code policy}
   */
  public record Measure(String measure, String source) {}
}

package dev.privacykit.policies;

import java.util.Arrays;
import java.util.Optional;

/**
 * The GDPR Art. 9(2) conditions that allow processing of special categories of personal data
 * (health, biometrics, religion...). Written in policy files by {@link #code()}.
 */
public enum Art9Condition {
  EXPLICIT_CONSENT("explicit_consent", "Art. 9(2)(a)", true),
  EMPLOYMENT_SOCIAL_SECURITY("employment_social_security", "Art. 9(2)(b)", false),
  VITAL_INTERESTS("vital_interests", "Art. 9(2)(c)", false),
  NOT_FOR_PROFIT_BODY("not_for_profit_body", "Art. 9(2)(d)", false),
  MADE_PUBLIC("made_public", "Art. 9(2)(e)", false),
  LEGAL_CLAIMS("legal_claims", "Art. 9(2)(f)", false),
  SUBSTANTIAL_PUBLIC_INTEREST("substantial_public_interest", "Art. 9(2)(g)", false),
  HEALTH_OR_SOCIAL_CARE("health_or_social_care", "Art. 9(2)(h)", false),
  PUBLIC_HEALTH("public_health", "Art. 9(2)(i)", false),
  ARCHIVING_RESEARCH_STATISTICS("archiving_research_statistics", "Art. 9(2)(j)", false);

  private final String code;
  private final String citation;
  private final boolean consent;

  Art9Condition(String code, String citation, boolean consent) {
    this.code = code;
    this.citation = citation;
    this.consent = consent;
  }

  /** The code written in policy files. */
  public String code() {
    return code;
  }

  /** The article it comes from. */
  public String citation() {
    return citation;
  }

  /** Whether the condition itself is the data subject's explicit consent. */
  public boolean requiresConsent() {
    return consent;
  }

  /** The condition with this code. */
  public static Optional<Art9Condition> ofCode(String code) {
    return Arrays.stream(values()).filter(c -> c.code.equals(code)).findFirst();
  }
}

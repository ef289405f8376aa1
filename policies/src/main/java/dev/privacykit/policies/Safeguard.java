package dev.privacykit.policies;

import java.util.Arrays;
import java.util.Optional;

/**
 * The ground a transfer of personal data to a recipient in a third country relies on (GDPR Chapter
 * V), written in a policy file as a recipient's {@code safeguard:} by {@link #code()}. A GDPR
 * policy must name one for every recipient outside the EEA; a DPDP policy may (DPDP s.16 allows
 * transfers unless the Central Government restricts the country).
 */
public enum Safeguard {
  ADEQUACY_DECISION("adequacy_decision", "GDPR Art. 45 adequacy decision"),
  LEGALLY_BINDING_INSTRUMENT(
      "legally_binding_instrument",
      "GDPR Art. 46(2)(a) instrument between public authorities or bodies"),
  BCRS("bcrs", "GDPR Art. 46(2)(b) and 47 binding corporate rules"),
  SCCS("sccs", "GDPR Art. 46(2)(c) standard data protection clauses"),
  CODE_OF_CONDUCT("code_of_conduct", "GDPR Art. 46(2)(e) approved code of conduct"),
  CERTIFICATION("certification", "GDPR Art. 46(2)(f) approved certification mechanism"),
  AD_HOC_CLAUSES("ad_hoc_clauses", "GDPR Art. 46(3)(a) contractual clauses authorised"),
  DEROGATION("derogation", "GDPR Art. 49 derogation for a specific situation");

  private final String code;
  private final String citation;

  Safeguard(String code, String citation) {
    this.code = code;
    this.citation = citation;
  }

  /** How a policy file writes it, such as {@code sccs}. */
  public String code() {
    return code;
  }

  /** The provision it rests on, for records and reports. */
  public String citation() {
    return citation;
  }

  /** The safeguard written as {@code code}. */
  public static Optional<Safeguard> ofCode(String code) {
    return Arrays.stream(values()).filter(s -> s.code.equals(code)).findFirst();
  }
}

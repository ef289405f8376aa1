package dev.privacykit.policies;

import java.util.Arrays;
import java.util.Optional;

/**
 * The legal ground a purpose relies on: the six GDPR Art. 6(1) bases, DPDP s.4 consent, and the
 * DPDP s.7 legitimate uses. Written in policy files by {@link #code()}.
 */
public enum LawfulBasis {
  GDPR_CONSENT(Regime.GDPR, "gdpr:consent", "GDPR Art. 6(1)(a) consent", true),
  GDPR_CONTRACT(Regime.GDPR, "gdpr:contract", "GDPR Art. 6(1)(b) contract", false),
  GDPR_LEGAL_OBLIGATION(
      Regime.GDPR, "gdpr:legal_obligation", "GDPR Art. 6(1)(c) legal obligation", false),
  GDPR_VITAL_INTERESTS(
      Regime.GDPR, "gdpr:vital_interests", "GDPR Art. 6(1)(d) vital interests", false),
  GDPR_PUBLIC_TASK(Regime.GDPR, "gdpr:public_task", "GDPR Art. 6(1)(e) public task", false),
  GDPR_LEGITIMATE_INTERESTS(
      Regime.GDPR, "gdpr:legitimate_interests", "GDPR Art. 6(1)(f) legitimate interests", false),
  DPDP_CONSENT(Regime.DPDP, "dpdp:consent", "DPDP s.4(1)(a) and s.6 consent", true),
  DPDP_VOLUNTARILY_PROVIDED(
      Regime.DPDP, "dpdp:voluntarily_provided", "DPDP s.7(a) data voluntarily provided", false),
  DPDP_STATE_BENEFIT(
      Regime.DPDP, "dpdp:state_benefit", "DPDP s.7(b) subsidy, benefit or service", false),
  DPDP_STATE_FUNCTION(
      Regime.DPDP, "dpdp:state_function", "DPDP s.7(c) function of the State", false),
  DPDP_LEGAL_OBLIGATION(
      Regime.DPDP, "dpdp:legal_obligation", "DPDP s.7(d) legal obligation", false),
  DPDP_COURT_ORDER(Regime.DPDP, "dpdp:court_order", "DPDP s.7(e) judgment or order", false),
  DPDP_MEDICAL_EMERGENCY(
      Regime.DPDP, "dpdp:medical_emergency", "DPDP s.7(f) medical emergency", false),
  DPDP_EPIDEMIC(
      Regime.DPDP, "dpdp:epidemic", "DPDP s.7(g) epidemic or public health threat", false),
  DPDP_DISASTER(
      Regime.DPDP, "dpdp:disaster", "DPDP s.7(h) disaster or breakdown of public order", false),
  DPDP_EMPLOYMENT(Regime.DPDP, "dpdp:employment", "DPDP s.7(i) employment", false);

  private final Regime regime;
  private final String code;
  private final String citation;
  private final boolean consent;

  LawfulBasis(Regime regime, String code, String citation, boolean consent) {
    this.regime = regime;
    this.code = code;
    this.citation = citation;
    this.consent = consent;
  }

  /** The law this basis belongs to. */
  public Regime regime() {
    return regime;
  }

  /** The code written in policy files, such as {@code gdpr:contract}. */
  public String code() {
    return code;
  }

  /** Where the law says it, for reports. */
  public String citation() {
    return citation;
  }

  /** Whether processing on this basis needs the data subject's valid consent. */
  public boolean requiresConsent() {
    return consent;
  }

  /** The basis with this code. */
  public static Optional<LawfulBasis> ofCode(String code) {
    return Arrays.stream(values()).filter(b -> b.code.equals(code)).findFirst();
  }
}

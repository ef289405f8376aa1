package dev.privacykit.policies;

import dev.privacykit.policies.internal.Yaml;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import org.snakeyaml.engine.v2.nodes.Node;

/**
 * The GDPR Art. 22 rules a purpose marked {@code automated_decision} must meet when the policy is
 * read: a decision based solely on automated processing with legal or similarly significant effect
 * may rest only on a contract (Art. 22(2)(a)), a law that authorises it (22(2)(b): a legal
 * obligation or a public task) or explicit consent (22(2)(c)); on special categories, only with
 * Art. 9(2)(a) or (g) (22(4)). DPDP has no such rule; a DPDP purpose may carry the flag for the
 * human review it offers.
 */
final class AutomatedDecisions {
  static final Set<LawfulBasis> ALLOWED =
      EnumSet.of(
          LawfulBasis.GDPR_CONTRACT,
          LawfulBasis.GDPR_LEGAL_OBLIGATION,
          LawfulBasis.GDPR_PUBLIC_TASK,
          LawfulBasis.GDPR_CONSENT);

  private AutomatedDecisions() {}

  static void check(
      Yaml yaml,
      Map<String, Node> purpose,
      String id,
      LawfulBasis basis,
      Art9Condition art9,
      boolean special) {
    if (basis.regime() != Regime.GDPR) {
      return;
    }
    if (!ALLOWED.contains(basis)) {
      yaml.problem(
          purpose.get("automated_decision"),
          "purpose '"
              + id
              + "' makes automated decisions (GDPR Art. 22) on "
              + basis.code()
              + "; Art. 22(2) allows only gdpr:contract, gdpr:legal_obligation, gdpr:public_task"
              + " or gdpr:consent");
    }
    if (special
        && art9 != Art9Condition.EXPLICIT_CONSENT
        && art9 != Art9Condition.SUBSTANTIAL_PUBLIC_INTEREST) {
      yaml.problem(
          purpose.get("automated_decision"),
          "purpose '"
              + id
              + "' makes automated decisions on special categories; Art. 22(4) needs"
              + " art9_condition explicit_consent or substantial_public_interest");
    }
  }
}

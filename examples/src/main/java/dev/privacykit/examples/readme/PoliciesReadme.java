package dev.privacykit.examples.readme;

import dev.privacykit.policies.ConsentAnswer;
import dev.privacykit.policies.ConsentLookup;
import dev.privacykit.policies.Decision;
import dev.privacykit.policies.DecisionEngine;
import dev.privacykit.policies.DecisionRequest;
import dev.privacykit.policies.InMemoryConsentLookup;
import dev.privacykit.policies.LivePolicy;
import dev.privacykit.policies.PolicyDiff;
import dev.privacykit.policies.PolicyPacks;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Set;

/** policies/README.md's snippet, compiled and run by ReadmeSnippetsTest. */
public final class PoliciesReadme {
  private PoliciesReadme() {}

  /**
   * Runs the snippet against the shipped GDPR pack copied into {@code dir}; returns the decision.
   */
  public static Decision run(Path dir) throws Exception {
    Files.writeString(dir.resolve("policy.yaml"), PolicyPacks.text("gdpr.yaml"));
    InMemoryConsentLookup consentLookup = new InMemoryConsentLookup();
    consentLookup.put(
        "acme", "subj_8f3a", "email_marketing", ConsentAnswer.given(1, Instant.now()));
    ConsentLookup lookup = consentLookup;
    Path base = dir;
    // readme:begin
    LivePolicy policy = LivePolicy.load(base.resolve("policy.yaml")); // or PolicyPacks.gdpr()
    DecisionEngine engine =
        new DecisionEngine(policy, lookup); // ConsentLookup: the ledger, or a fake
    Decision d =
        engine.decide(
            DecisionRequest.of("acme", "subj_8f3a", "email_marketing", Set.of("marketing")));
    d.allowed();
    d.reason(); // false, CONSENT_NEEDS_RENEWAL
    PolicyDiff diff =
        policy.reload(); // atomic swap; a file with problems leaves the old policy in place
    // readme:end
    if (!diff.isEmpty()) {
      throw new IllegalStateException("an unchanged file reloaded with changes");
    }
    return d;
  }
}

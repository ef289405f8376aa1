package dev.privacykit.policies;

import dev.privacykit.crypto.FieldContext;

/** A synthetic violation for ArchitectureTest: policies may depend on nothing of ours. */
public final class ArchitectureFixtureUsingCrypto {
  FieldContext context;
}

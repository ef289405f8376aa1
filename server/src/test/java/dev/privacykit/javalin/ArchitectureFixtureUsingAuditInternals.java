package dev.privacykit.javalin;

import dev.privacykit.audit.internal.Merkle;

/** A synthetic violation for ArchitectureTest: another module's internal package. */
public final class ArchitectureFixtureUsingAuditInternals {
  byte[] root() {
    return Merkle.emptyRoot();
  }
}

package dev.privacykit.consent;

import io.javalin.http.Context;

/** A synthetic violation for ArchitectureTest: the consent library must not use Javalin. */
public final class ArchitectureFixtureUsingJavalin {
  Context context;
}

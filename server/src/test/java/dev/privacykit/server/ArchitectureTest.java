package dev.privacykit.server;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import dev.privacykit.consent.ArchitectureFixtureUsingJavalin;
import dev.privacykit.javalin.ArchitectureFixtureUsingAuditInternals;
import dev.privacykit.policies.ArchitectureFixtureUsingCrypto;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The house rules, read from the compiled classes of every library module and the server:
 * dependencies point one way (DESIGN.md §2), no module uses another module's {@code internal}
 * package, the consent library carries no web framework, CLI, metrics or logging backend, and no
 * main-source file passes 450 lines. Each rule is also shown failing on a synthetic class, so a
 * rule that can no longer fail is noticed.
 */
class ArchitectureTest {
  private static final String ROOT = "dev.privacykit";

  /** Each module's package and the modules it may depend on (DESIGN.md §2). */
  static final Map<String, List<String>> ALLOWED = new LinkedHashMap<>();

  static {
    ALLOWED.put("storage", List.of());
    ALLOWED.put("policies", List.of());
    ALLOWED.put("crypto", List.of("storage"));
    ALLOWED.put("audit", List.of("crypto", "storage"));
    ALLOWED.put("javalin", List.of("policies", "audit"));
    ALLOWED.put("consent", List.of("policies", "crypto", "audit", "storage"));
    ALLOWED.put("server", List.of("storage", "policies", "crypto", "audit", "javalin", "consent"));
  }

  private static final ServerStack CONSENT_LIBRARY_FREE_OF = new ServerStack();

  private static final JavaClasses MAIN =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages(ROOT);

  @Test
  void everyModule_dependsOnlyOnTheModulesBelowIt() {
    assertThat(MAIN.stream().map(JavaClass::getPackageName).distinct())
        .as("the importer sees every module")
        .anySatisfy(p -> assertThat(p).startsWith(ROOT + ".consent"))
        .anySatisfy(p -> assertThat(p).startsWith(ROOT + ".javalin"))
        .anySatisfy(p -> assertThat(p).startsWith(ROOT + ".storage"));
    for (ArchRule rule : dependencyRules()) {
      rule.check(MAIN);
    }
  }

  @Test
  void noModule_usesAnotherModulesInternalPackage() {
    for (ArchRule rule : internalRules()) {
      rule.check(MAIN);
    }
  }

  @Test
  void consentLibrary_hasNoWebFrameworkCliMetricsOrLoggingBackend() throws IOException {
    consentLibraryRule().check(MAIN);
    String pom = Files.readString(projectRoot().resolve("consent/pom.xml"));
    for (String artifact :
        List.of("javalin", "picocli", "micrometer", "logback-classic</artifactId></dependency>")) {
      assertThat(pom).as("consent/pom.xml").doesNotContain("<artifactId>" + artifact);
    }
  }

  @Test
  void noMainSourceFile_passes450Lines() throws IOException {
    List<String> tooLong = new ArrayList<>();
    try (Stream<Path> files = Files.walk(projectRoot())) {
      for (Path file :
          files
              .filter(p -> p.toString().endsWith(".java"))
              .filter(p -> p.toString().contains("/src/main/java/"))
              .filter(p -> !p.toString().contains("/target/"))
              .toList()) {
        long lines;
        try (Stream<String> content = Files.lines(file)) {
          lines = content.count();
        }
        if (lines > 450) {
          tooLong.add(projectRoot().relativize(file) + " (" + lines + " lines)");
        }
      }
    }
    assertThat(tooLong).as("main-source files over 450 lines (split them by job)").isEmpty();
  }

  @Test
  void rules_failOnSyntheticViolations() {
    JavaClasses fixtures =
        new ClassFileImporter()
            .importClasses(
                ArchitectureFixtureUsingCrypto.class,
                ArchitectureFixtureUsingAuditInternals.class,
                ArchitectureFixtureUsingJavalin.class);
    assertThatThrownBy(() -> dependencyRules().forEach(rule -> rule.check(fixtures)))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("ArchitectureFixtureUsingCrypto");
    assertThatThrownBy(() -> internalRules().forEach(rule -> rule.check(fixtures)))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("ArchitectureFixtureUsingAuditInternals");
    assertThatThrownBy(() -> consentLibraryRule().check(fixtures))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("ArchitectureFixtureUsingJavalin");
  }

  private static List<ArchRule> dependencyRules() {
    List<ArchRule> rules = new ArrayList<>();
    for (Map.Entry<String, List<String>> module : ALLOWED.entrySet()) {
      List<String> allowed = new ArrayList<>(module.getValue());
      allowed.add(module.getKey());
      rules.add(
          classes()
              .that()
              .resideInAPackage(ROOT + "." + module.getKey() + "..")
              .should()
              .onlyDependOnClassesThat(
                  DescribedPredicate.describe(
                      "are outside PrivacyKit or in the modules " + allowed,
                      (JavaClass c) -> {
                        String owner = module(c);
                        return owner == null || allowed.contains(owner);
                      }))
              .allowEmptyShould(true)
              .because("dependencies point one way (DESIGN.md §2)"));
    }
    return rules;
  }

  /** The PrivacyKit module a class belongs to ({@code dev.privacykit.<module>...}), or null. */
  private static String module(JavaClass c) {
    String name = c.getPackageName();
    if (!name.startsWith(ROOT + ".")) {
      return null;
    }
    String rest = name.substring(ROOT.length() + 1);
    int dot = rest.indexOf('.');
    return dot < 0 ? rest : rest.substring(0, dot);
  }

  private static List<ArchRule> internalRules() {
    List<ArchRule> rules = new ArrayList<>();
    for (String module : ALLOWED.keySet()) {
      rules.add(
          noClasses()
              .that()
              .resideOutsideOfPackage(ROOT + "." + module + "..")
              .should()
              .dependOnClassesThat()
              .resideInAPackage(ROOT + "." + module + ".internal..")
              .allowEmptyShould(true)
              .because("an internal package is not API"));
    }
    return rules;
  }

  private static ArchRule consentLibraryRule() {
    return noClasses()
        .that()
        .resideInAPackage(ROOT + ".consent..")
        .should()
        .dependOnClassesThat(CONSENT_LIBRARY_FREE_OF)
        .allowEmptyShould(true)
        .because("the consent library is usable without the server's stack");
  }

  /** Javalin, picocli, Micrometer and Logback classes. */
  private static final class ServerStack extends DescribedPredicate<JavaClass> {
    ServerStack() {
      super("belong to Javalin, picocli, Micrometer or Logback");
    }

    @Override
    public boolean test(JavaClass c) {
      String name = c.getPackageName();
      return name.startsWith("io.javalin")
          || name.startsWith("picocli")
          || name.startsWith("io.micrometer")
          || name.startsWith("ch.qos.logback");
    }
  }

  /** The checkout's root: the nearest folder up with the parent POM. */
  static Path projectRoot() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null && !Files.exists(dir.resolve("bom/pom.xml"))) {
      dir = dir.getParent();
    }
    if (dir == null) {
      throw new IllegalStateException("not inside the PrivacyKit checkout");
    }
    return dir;
  }
}

package dev.privacykit.storage.testing;

import dev.privacykit.storage.Database;
import dev.privacykit.storage.Dialect;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.Extension;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestTemplateInvocationContext;
import org.junit.jupiter.api.extension.TestTemplateInvocationContextProvider;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * The JUnit 5 extension behind {@link DatabaseTest}: one invocation per dialect, each with the test
 * class's own migrated database.
 */
public final class DatabaseExtension implements TestTemplateInvocationContextProvider {
  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(DatabaseExtension.class);
  private static volatile String postgresProblem;
  private static volatile boolean postgresChecked;

  @Override
  public boolean supportsTestTemplate(ExtensionContext context) {
    return AnnotationSupport.isAnnotated(context.getTestMethod(), DatabaseTest.class);
  }

  @Override
  public Stream<TestTemplateInvocationContext> provideTestTemplateInvocationContexts(
      ExtensionContext context) {
    DatabaseTest test =
        AnnotationSupport.findAnnotation(context.getTestMethod(), DatabaseTest.class).orElseThrow();
    return Stream.of(test.value()).distinct().map(DatabaseExtension::invocation);
  }

  private static TestTemplateInvocationContext invocation(Dialect dialect) {
    return new TestTemplateInvocationContext() {
      @Override
      public String getDisplayName(int invocationIndex) {
        return dialect == Dialect.H2 ? "[H2]" : "[PostgreSQL]";
      }

      @Override
      public List<Extension> getAdditionalExtensions() {
        return List.of(new DialectCase(dialect));
      }
    };
  }

  /**
   * Skips or fails the PostgreSQL case when PostgreSQL is unreachable, and injects the database.
   */
  private static final class DialectCase implements BeforeEachCallback, ParameterResolver {
    private final Dialect dialect;

    DialectCase(Dialect dialect) {
      this.dialect = dialect;
    }

    @Override
    public void beforeEach(ExtensionContext context) {
      if (dialect != Dialect.POSTGRESQL) {
        return;
      }
      String problem = postgresProblem();
      if (problem == null) {
        return;
      }
      String message =
          "PostgreSQL at "
              + TestDatabase.postgresUrl().replaceAll("\\?.*", "")
              + " is unreachable ("
              + problem
              + "); start it or set PRIVACYKIT_TEST_POSTGRES_URL.";
      if (TestDatabase.postgresRequired()) {
        Assertions.fail(message + " PRIVACYKIT_REQUIRE_POSTGRES=true, so this fails.");
      }
      Assumptions.abort(message + " Skipping the PostgreSQL case.");
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
      Class<?> type = parameter.getParameter().getType();
      return type == Database.class || type == TestDatabase.class || type == Dialect.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
      Class<?> type = parameter.getParameter().getType();
      if (type == Dialect.class) {
        return dialect;
      }
      ExtensionContext classContext = classContext(context);
      Class<?> owner = classContext.getRequiredTestClass();
      TestDatabase database =
          classContext
              .getStore(NAMESPACE)
              .getOrComputeIfAbsent(
                  dialect, key -> TestDatabase.create(dialect, owner), TestDatabase.class);
      return type == Database.class ? database.database() : database;
    }

    private static ExtensionContext classContext(ExtensionContext context) {
      ExtensionContext current = context;
      while (current.getTestMethod().isPresent() && current.getParent().isPresent()) {
        current = current.getParent().get();
      }
      return current;
    }
  }

  private static synchronized String postgresProblem() {
    if (!postgresChecked) {
      postgresProblem = probePostgres();
      postgresChecked = true;
    }
    return postgresProblem;
  }

  private static String probePostgres() {
    DriverManager.setLoginTimeout(3);
    try (Connection connection = DriverManager.getConnection(TestDatabase.postgresUrl())) {
      return connection.isValid(3) ? null : "no answer within 3 s";
    } catch (SQLException e) {
      String message = e.getMessage();
      return message == null ? e.getClass().getSimpleName() : message.lines().findFirst().get();
    }
  }
}

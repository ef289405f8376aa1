package dev.privacykit.storage.testing;

import dev.privacykit.storage.Dialect;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.TestTemplate;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs a test method twice, once on embedded H2 and once on PostgreSQL, each time with a migrated
 * database that belongs to the test class: a fresh in-memory H2 database, and a fresh PostgreSQL
 * schema that is dropped when the class finishes. Declare a {@link dev.privacykit.storage.Database}
 * or {@link TestDatabase} parameter to receive it.
 *
 * <p>PostgreSQL comes from {@code PRIVACYKIT_TEST_POSTGRES_URL} (default {@value
 * TestDatabase#DEFAULT_POSTGRES_URL}). When it is unreachable the PostgreSQL case is skipped with
 * the reason, unless {@code PRIVACYKIT_REQUIRE_POSTGRES=true}: then it fails.
 *
 * <pre>{@code
 * @DatabaseTest
 * void shred_isIdempotent(Database db) { ... }
 * }</pre>
 *
 * <p>{@code @DatabaseTest(Dialect.POSTGRESQL)} runs only the PostgreSQL case, for what only a
 * shared server can show (several processes on one database).
 */
@Documented
@Target({ElementType.METHOD, ElementType.ANNOTATION_TYPE})
@Retention(RetentionPolicy.RUNTIME)
@TestTemplate
@ExtendWith(DatabaseExtension.class)
public @interface DatabaseTest {
  /** The dialects to run on; both by default. */
  Dialect[] value() default {Dialect.H2, Dialect.POSTGRESQL};
}

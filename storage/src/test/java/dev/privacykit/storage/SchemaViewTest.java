package dev.privacykit.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.privacykit.storage.spi.Jdbis;
import dev.privacykit.storage.testing.TestDatabase;
import java.util.Set;
import org.jdbi.v3.core.Jdbi;

/** {@link Database#inSchema}: the same database in another schema, with a pool of its own. */
class SchemaViewTest {

  @dev.privacykit.storage.testing.DatabaseTest
  void view_migratesOnlyTheNamedModules_inItsOwnSchema(TestDatabase test) {
    Database main = test.database();
    try (Database view = main.inSchema(viewName(test, "_v1"))) {
      assertThat(view.migrate(Set.of("storage_probe"))).containsExactly("storage_probe");
      assertThat(view.isMigrated()).isTrue();
      Jdbi inView = Jdbis.of(view);
      inView.useHandle(h -> h.execute("INSERT INTO storage_probe (id, note) VALUES (7, 'view')"));
      // The main schema's table of the same name is another table.
      assertThat(count(Jdbis.of(main), "storage_probe")).isZero();
      assertThat(count(inView, "storage_probe")).isEqualTo(1);
      // Other modules' tables were not made in the view.
      int histories =
          inView.withHandle(
              h ->
                  h.createQuery(
                          "SELECT count(*) FROM information_schema.tables"
                              + " WHERE table_schema = :s AND table_name LIKE 'flyway_history_%'")
                      .bind("s", view.schema())
                      .mapTo(Integer.class)
                      .one());
      assertThat(histories).isEqualTo(1);
    }
  }

  @dev.privacykit.storage.testing.DatabaseTest
  void everyConnectionOfAView_isInItsSchema_andClosingItLeavesTheDatabaseOpen(TestDatabase test)
      throws Exception {
    Database main = test.database();
    String before;
    try (var connection = main.dataSource().getConnection()) {
      before = connection.getSchema();
    }
    Database view = main.inSchema(viewName(test, "_v2"), 2);
    for (int i = 0; i < 25; i++) {
      try (var a = view.dataSource().getConnection();
          var b = view.dataSource().getConnection()) {
        assertThat(a.getSchema()).isEqualTo(view.schema());
        assertThat(b.getSchema()).isEqualTo(view.schema());
      }
      try (var connection = main.dataSource().getConnection()) {
        assertThat(connection.getSchema()).isEqualTo(before);
      }
    }
    view.close();
    assertThatThrownBy(() -> view.dataSource().getConnection()).isInstanceOf(Exception.class);
    try (var connection = main.dataSource().getConnection()) {
      assertThat(connection.isValid(1)).isTrue();
    }
    // The schema is kept: opening the view again finds what was there.
    try (Database again = main.inSchema(viewName(test, "_v2"))) {
      assertThat(again.schema()).isEqualTo(view.schema());
    }
  }

  @dev.privacykit.storage.testing.DatabaseTest
  void view_refusesANameThatIsNotAnIdentifier(Database db) {
    assertThatThrownBy(() -> db.inSchema("x; DROP SCHEMA public"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> db.inSchema("Upper")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> db.inSchema("fine", 0)).isInstanceOf(IllegalArgumentException.class);
  }

  private static String viewName(TestDatabase test, String suffix) {
    return (test.schema() == null ? "pk_view" : test.schema()) + suffix;
  }

  private static int count(Jdbi jdbi, String table) {
    return jdbi.withHandle(
        h -> h.createQuery("SELECT count(*) FROM " + table).mapTo(Integer.class).one());
  }
}

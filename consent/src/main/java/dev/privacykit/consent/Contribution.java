package dev.privacykit.consent;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What a {@link SubjectDataContributor} gives: named sections, each a table of rows under named
 * columns (cells are text or null). Checked when made; immutable.
 *
 * @param sections the sections, in the order the package shows them
 */
public record Contribution(List<Section> sections) {
  static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_-]{0,63}");

  /** Copies the list; section names must be unique. */
  public Contribution {
    sections = List.copyOf(sections);
    Set<String> names = new HashSet<>();
    for (Section section : sections) {
      if (!names.add(section.name())) {
        throw new IllegalArgumentException("section '" + section.name() + "' appears twice");
      }
    }
  }

  /** A contribution of these sections. */
  public static Contribution of(Section... sections) {
    return new Contribution(List.of(sections));
  }

  /** How many rows in all. */
  public long rows() {
    return sections.stream().mapToLong(s -> s.rows().size()).sum();
  }

  /**
   * One table.
   *
   * @param name 1 to 64 of {@code a-z 0-9 _ -}, starting with a letter
   * @param columns the column names (same rule), unique, at least one
   * @param rows each as many cells as there are columns; a cell may be null
   */
  public record Section(String name, List<String> columns, List<List<String>> rows) {
    /** Checks the names and the shape, and copies the lists. */
    public Section {
      if (name == null || !NAME.matcher(name).matches()) {
        throw new IllegalArgumentException(
            "section name must be 1 to 64 of a-z 0-9 _ -, starting with a letter");
      }
      columns = List.copyOf(columns);
      if (columns.isEmpty() || new HashSet<>(columns).size() != columns.size()) {
        throw new IllegalArgumentException(
            "section '" + name + "' needs at least one column and unique column names");
      }
      for (String column : columns) {
        if (!NAME.matcher(column).matches()) {
          throw new IllegalArgumentException(
              "section '" + name + "': column names must be 1 to 64 of a-z 0-9 _ -");
        }
      }
      List<List<String>> copy = new ArrayList<>(rows.size());
      for (int i = 0; i < rows.size(); i++) {
        List<String> row = rows.get(i);
        if (row == null || row.size() != columns.size()) {
          throw new IllegalArgumentException(
              "section '"
                  + name
                  + "' row "
                  + i
                  + " must have "
                  + columns.size()
                  + " cells, one per column");
        }
        copy.add(Collections.unmodifiableList(new ArrayList<>(row)));
      }
      rows = Collections.unmodifiableList(copy);
    }

    /** A section with these columns and rows. */
    public static Section of(String name, List<String> columns, List<List<String>> rows) {
      return new Section(name, columns, rows);
    }
  }
}

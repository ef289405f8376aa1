package dev.privacykit.policies;

/**
 * A kind of personal data in a dot-keyed taxonomy: {@code user.contact} covers {@code
 * user.contact.email}.
 *
 * @param id the dot-keyed id
 * @param title a human title
 * @param special the special category it belongs to (GDPR Art. 9, such as {@code health}), or null
 */
public record DataCategory(String id, String title, String special) {

  /** Whether this category is a special category or below one. */
  public boolean isSpecial() {
    return special != null;
  }

  /** Whether this category is {@code other} or an ancestor of it. */
  public boolean covers(String other) {
    return other.equals(id) || other.startsWith(id + ".");
  }

  /** The parent id, or null at the top. */
  public String parentId() {
    int dot = id.lastIndexOf('.');
    return dot < 0 ? null : id.substring(0, dot);
  }
}

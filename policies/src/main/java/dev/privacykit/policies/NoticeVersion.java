package dev.privacykit.policies;

import java.time.LocalDate;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One published version of a notice, with its content: the itemised personal data and the purpose
 * of each, the goods or services it enables, the links to withdraw, exercise rights and complain,
 * and its exact text per language (DPDP s.5, s.6(3), Rule 3; GDPR Art. 12, 13). A DPDP policy
 * carries all of it for every version; a GDPR policy may leave the content out.
 *
 * @param version the version number, increasing
 * @param published when it took effect
 * @param languages the languages it is available in (BCP 47 tags); the keys of {@code texts} when
 *     texts are given
 * @param material whether its changes are material: consent given under an earlier version must be
 *     renewed
 * @param items the itemised personal data and the specific purpose of each (may be empty in GDPR)
 * @param services the goods, services or uses the processing enables (may be empty in GDPR)
 * @param links where to withdraw, exercise rights and complain ({@link NoticeLinks#NONE} when none)
 * @param texts the exact text per language, in the policy's order (may be empty in GDPR)
 */
public record NoticeVersion(
    int version,
    LocalDate published,
    List<String> languages,
    boolean material,
    List<NoticeItem> items,
    List<String> services,
    NoticeLinks links,
    Map<String, NoticeText> texts) {

  /**
   * Copies the collections; the languages are the texts' when only texts are given.
   *
   * @throws IllegalArgumentException if both languages and texts are given and name different
   *     languages
   */
  public NoticeVersion {
    texts = Collections.unmodifiableMap(new LinkedHashMap<>(texts));
    if (languages.isEmpty()) {
      languages = List.copyOf(texts.keySet());
    } else {
      languages = List.copyOf(languages);
      if (!texts.isEmpty()
          && !new LinkedHashSet<>(languages).equals(new LinkedHashSet<>(texts.keySet()))) {
        throw new IllegalArgumentException(
            "languages " + languages + " and texts " + texts.keySet() + " differ");
      }
    }
    items = List.copyOf(items);
    services = List.copyOf(services);
    links = links == null ? NoticeLinks.NONE : links;
  }

  /** A version without content: only its languages (as policies were before notices had text). */
  public NoticeVersion(int version, LocalDate published, List<String> languages, boolean material) {
    this(version, published, languages, material, List.of(), List.of(), NoticeLinks.NONE, Map.of());
  }

  /** The exact text in {@code language}, if this version has one. */
  public Optional<String> text(String language) {
    return Optional.ofNullable(texts.get(language)).map(NoticeText::text);
  }

  /** The SHA-256 (lower-case hex) of the exact text in {@code language}, if there is a text. */
  public Optional<String> hash(String language) {
    return Optional.ofNullable(texts.get(language)).map(NoticeText::sha256);
  }
}

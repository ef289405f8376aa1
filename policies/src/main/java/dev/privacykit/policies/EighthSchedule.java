package dev.privacykit.policies;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The languages a DPDP notice and consent request may be given in: English or any language of the
 * Eighth Schedule to the Constitution of India (DPDP Act s.5(3) and s.6(3)). The 22 languages are
 * listed in the Schedule's order, each with its BCP 47 tag (ISO 639-1 where there is one, else ISO
 * 639-2/3). A tag matches by its primary language subtag, so {@code hi-IN} or {@code sat-Olck} are
 * accepted. Immutable.
 */
public final class EighthSchedule {
  /** English, always offered beside the Schedule's languages. */
  public static final String ENGLISH = "en";

  /**
   * One language of the Schedule.
   *
   * @param tag its BCP 47 primary language subtag
   * @param name its name as the Schedule spells it (Odia since the 96th Amendment, 2011)
   */
  public record Language(String tag, String name) {}

  /** The 22 languages, in the Schedule's order. */
  public static final List<Language> LANGUAGES =
      List.of(
          new Language("as", "Assamese"),
          new Language("bn", "Bengali"),
          new Language("gu", "Gujarati"),
          new Language("hi", "Hindi"),
          new Language("kn", "Kannada"),
          new Language("ks", "Kashmiri"),
          new Language("kok", "Konkani"),
          new Language("ml", "Malayalam"),
          new Language("mni", "Manipuri"),
          new Language("mr", "Marathi"),
          new Language("ne", "Nepali"),
          new Language("or", "Odia"),
          new Language("pa", "Punjabi"),
          new Language("sa", "Sanskrit"),
          new Language("sd", "Sindhi"),
          new Language("ta", "Tamil"),
          new Language("te", "Telugu"),
          new Language("ur", "Urdu"),
          new Language("brx", "Bodo"),
          new Language("sat", "Santhali"),
          new Language("mai", "Maithili"),
          new Language("doi", "Dogri"));

  private EighthSchedule() {}

  /** The Schedule's language a BCP 47 tag names (by its primary subtag), if any. */
  public static Optional<Language> language(String tag) {
    String primary = primary(tag);
    return LANGUAGES.stream().filter(l -> l.tag().equals(primary)).findFirst();
  }

  /**
   * Whether a DPDP notice may be given in the language {@code tag} names: English or a language of
   * the Schedule.
   */
  public static boolean allows(String tag) {
    return ENGLISH.equals(primary(tag)) || language(tag).isPresent();
  }

  private static String primary(String tag) {
    int dash = tag.indexOf('-');
    return (dash < 0 ? tag : tag.substring(0, dash)).toLowerCase(Locale.ROOT);
  }
}

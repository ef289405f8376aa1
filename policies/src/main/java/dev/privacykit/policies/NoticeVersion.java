package dev.privacykit.policies;

import java.time.LocalDate;
import java.util.List;

/**
 * One published version of a notice.
 *
 * @param version the version number, increasing
 * @param published when it took effect
 * @param languages the languages it is available in (BCP 47 tags)
 * @param material whether its changes are material: consent given under an earlier version must be
 *     renewed
 */
public record NoticeVersion(
    int version, LocalDate published, List<String> languages, boolean material) {
  /** Copies the list. */
  public NoticeVersion {
    languages = List.copyOf(languages);
  }
}

package dev.privacykit.policies;

import java.util.List;
import java.util.Optional;

/**
 * A privacy notice shown to data subjects when consent is asked, with its versions.
 *
 * @param id the id purposes refer to
 * @param versions every version, oldest first
 */
public record Notice(String id, List<NoticeVersion> versions) {
  /** Copies the list. */
  public Notice {
    versions = List.copyOf(versions);
  }

  /** The version with this number. */
  public Optional<NoticeVersion> version(int number) {
    return versions.stream().filter(v -> v.version() == number).findFirst();
  }

  /** The newest version. */
  public NoticeVersion latest() {
    return versions.get(versions.size() - 1);
  }

  /**
   * The newest material version: consent given under an older version needs renewal. Zero when no
   * version is material.
   */
  public int latestMaterialVersion() {
    int latest = 0;
    for (NoticeVersion v : versions) {
      if (v.material()) {
        latest = v.version();
      }
    }
    return latest;
  }
}

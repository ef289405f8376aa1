package dev.privacykit.policies;

import java.util.List;
import java.util.Map;

/**
 * What changed between two policies.
 *
 * @param purposesAdded purposes only in the new policy
 * @param purposesRemoved purposes only in the old one
 * @param purposesChanged purposes in both that differ
 * @param materialNotices notices whose latest material version rose, with the new version: consent
 *     given under them needs renewal
 */
public record PolicyDiff(
    List<String> purposesAdded,
    List<String> purposesRemoved,
    List<String> purposesChanged,
    Map<String, Integer> materialNotices) {

  /** Whether nothing changed that this diff tracks. */
  public boolean isEmpty() {
    return purposesAdded.isEmpty()
        && purposesRemoved.isEmpty()
        && purposesChanged.isEmpty()
        && materialNotices.isEmpty();
  }

  static PolicyDiff between(PolicySet before, PolicySet after) {
    List<String> added =
        after.purposes().keySet().stream()
            .filter(id -> !before.purposes().containsKey(id))
            .toList();
    List<String> removed =
        before.purposes().keySet().stream()
            .filter(id -> !after.purposes().containsKey(id))
            .toList();
    List<String> changed =
        after.purposes().keySet().stream()
            .filter(
                id ->
                    before.purposes().containsKey(id)
                        && !before.purposes().get(id).equals(after.purposes().get(id)))
            .toList();
    Map<String, Integer> material = new java.util.TreeMap<>();
    after
        .notices()
        .forEach(
            (id, notice) -> {
              int old = before.notice(id).map(Notice::latestMaterialVersion).orElse(0);
              if (notice.latestMaterialVersion() > old) {
                material.put(id, notice.latestMaterialVersion());
              }
            });
    return new PolicyDiff(added, removed, changed, Map.copyOf(material));
  }
}

package dev.privacykit.consent;

import java.util.List;
import java.util.Optional;

/**
 * Why a nominee may act for a principal now: her active nomination, added no later than a death or
 * incapacity in force occurred, and that event. Found from the register as it stands; none when
 * anything is missing, whatever it is.
 *
 * @param nominee the nomination she acts under
 * @param event the event in force that gives it power
 */
record NominationAuthority(Nominee nominee, NominationEvent event) {

  static Optional<NominationAuthority> find(
      NominationStore store, String tenant, String principal, String nominee) {
    if (!valid(tenant) || !valid(principal) || !valid(nominee) || nominee.equals(principal)) {
      return Optional.empty();
    }
    List<NominationEvent> inForce =
        store.events(tenant, principal).stream().filter(NominationEvent::inForce).toList();
    if (inForce.isEmpty()) {
      return Optional.empty();
    }
    for (Nominee n : store.nominees(tenant, principal)) {
      if (!n.isActive() || !n.nominee().equals(nominee)) {
        continue;
      }
      for (NominationEvent e : inForce) {
        if (n.wasActiveAt(e.occurredAt())) {
          return Optional.of(new NominationAuthority(n, e));
        }
      }
    }
    return Optional.empty();
  }

  private static boolean valid(String reference) {
    return reference != null && !reference.isBlank() && reference.length() <= 256;
  }
}

package dev.privacykit.policies;

import java.util.Objects;

/**
 * One item of a notice: a kind of personal data and the specific purpose it is processed for (DPDP
 * s.5(1)(i) and Rule 3: "an itemised description of such personal data" and its purpose).
 *
 * @param data the id of a data category of the policy
 * @param purpose the specific purpose of processing this item, in plain words
 */
public record NoticeItem(String data, String purpose) {
  /** Checks that both are present. */
  public NoticeItem {
    Objects.requireNonNull(data, "data");
    Objects.requireNonNull(purpose, "purpose");
  }
}

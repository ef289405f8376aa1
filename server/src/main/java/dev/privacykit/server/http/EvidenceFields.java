package dev.privacykit.server.http;

import dev.privacykit.consent.Evidence;
import java.time.Instant;

/**
 * The {@code evidence} object of a request body ({@code collected_at}, {@code channel}, {@code
 * ip_address}, {@code user_agent}, {@code ui_version}), read strictly: the IP address is kept
 * truncated and the user agent only as a hash ({@link Evidence#of}).
 */
final class EvidenceFields {
  private EvidenceFields() {}

  /** The evidence in {@code fields}, or {@code fallback} when the body has none. */
  static Evidence read(Fields fields, Evidence fallback) {
    if (fields == null) {
      return fallback;
    }
    fields.only("collected_at", "channel", "ip_address", "user_agent", "ui_version");
    Instant collected = fields.optionalInstant("collected_at");
    return Evidence.of(
        collected == null ? Instant.now() : collected,
        fields.optionalText("channel", 64),
        fields.optionalText("ip_address", 45),
        fields.optionalText("user_agent", 1024),
        fields.optionalText("ui_version", 64));
  }
}

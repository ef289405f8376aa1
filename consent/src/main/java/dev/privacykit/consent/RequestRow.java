package dev.privacykit.consent;

import dev.privacykit.policies.Regime;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;

/** A stored data-subject request, as {@link RequestStore} reads it. */
record RequestRow(
    String id,
    String tenant,
    String subject,
    RequestType type,
    Regime regime,
    RequestStatus status,
    Instant received,
    Instant pausedSince,
    long paused,
    int extended,
    DenialReason denial,
    String note,
    java.util.List<String> purposes,
    RequestFiler filedBy) {

  static RequestRow of(ResultSet rs) throws SQLException {
    OffsetDateTime pausedSince = rs.getObject("paused_since", OffsetDateTime.class);
    String denial = rs.getString("denial_reason");
    return new RequestRow(
        rs.getString("id"),
        rs.getString("tenant"),
        rs.getString("subject"),
        RequestType.valueOf(rs.getString("type")),
        Regime.valueOf(rs.getString("regime")),
        RequestStatus.valueOf(rs.getString("status")),
        rs.getObject("received_at", OffsetDateTime.class).toInstant(),
        pausedSince == null ? null : pausedSince.toInstant(),
        rs.getLong("paused_seconds"),
        rs.getInt("extended_months"),
        denial == null ? null : DenialReason.valueOf(denial),
        rs.getString("outcome_note"),
        purposes(rs.getString("purposes")),
        RequestFiler.valueOf(rs.getString("filed_by")));
  }

  /** Purposes are stored joined by spaces (purpose ids never hold one); null for all. */
  static java.util.List<String> purposes(String stored) {
    return stored == null || stored.isEmpty()
        ? java.util.List.of()
        : java.util.List.of(stored.split(" "));
  }
}

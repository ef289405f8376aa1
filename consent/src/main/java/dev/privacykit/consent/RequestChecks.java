package dev.privacykit.consent;

/** The checks request steps share: the status a step needs, and well-formed names. */
final class RequestChecks {
  private RequestChecks() {}

  static void require(RequestRow row, RequestStatus... allowed) {
    for (RequestStatus status : allowed) {
      if (row.status() == status) {
        return;
      }
    }
    throw new ConsentException(
        ConsentException.Kind.INVALID_TRANSITION,
        "request "
            + row.id()
            + " is "
            + row.status()
            + "; that step needs it to be "
            + java.util.Arrays.toString(allowed));
  }

  static void requireOpen(RequestRow row) {
    if (row.status().isClosed()) {
      throw new ConsentException(
          ConsentException.Kind.INVALID_TRANSITION,
          "request " + row.id() + " is " + row.status() + " and closed");
    }
  }

  static void check(String name, String value) {
    if (value == null || value.isBlank() || value.length() > 256) {
      throw new ConsentException(
          ConsentException.Kind.INVALID_FIELD, name + " must be 1 to 256 characters");
    }
  }
}

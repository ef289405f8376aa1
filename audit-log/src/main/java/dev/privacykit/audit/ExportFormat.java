package dev.privacykit.audit;

/** The formats entries and reports are exported in. */
public enum ExportFormat {
  /** One JSON document, entries streamed as an array. */
  JSON,
  /**
   * RFC 4180 CSV with a header row; cells that a spreadsheet would run as a formula are prefixed
   * with '.
   */
  CSV
}

package dev.privacykit.consent;

/** The shapes a consent receipt is issued in. */
public enum ReceiptFormat {
  /** Kantara Initiative Consent Receipt Specification v1.1. */
  KANTARA_1_1,
  /** ISO/IEC TS 27560:2023 consent record information structure. */
  ISO_27560
}

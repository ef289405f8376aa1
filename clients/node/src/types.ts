/** Public request/response types: the generated OpenAPI types plus what the client adds. */
import type { AuditEvent, ConsentChangeBody } from './generated/openapi.js';
export type * from './generated/openapi.js';

/** An audit event as sent: the OpenAPI `AuditEvent` plus the per-event idempotency key. */
export type AuditEventInput = AuditEvent & {
  /** 1–128 characters of `[A-Za-z0-9._:-]`; a replay with the same content appends nothing. */
  idempotency_key?: string;
};

export type ConsentAction = 'give' | 'renew' | 'refuse' | 'withdraw';

/** Body of a consent change; an idempotency key is added when left out. */
export type ConsentChange = ConsentChangeBody;

export interface ConsentCheckRequest {
  subject: string;
  purposes: string[];
  /** Global Privacy Control; also sent when the request context says `Sec-GPC: 1`. */
  gpc?: boolean;
  actor_roles?: string[];
}

export interface AuditQuery {
  subject?: string;
  actor?: string;
  purpose?: string;
  action?: string;
  from?: string;
  to?: string;
  after?: number;
  /** Only entries before this seq (the first page says the bound it used). */
  before?: number;
  /** Page size (1–1000, default 100). */
  limit?: number;
}

/**
 * Why the consent check allows or denies a purpose (`CheckResult.results[purpose].reason`).
 * `processing_restricted` (GDPR Art. 18) and `objection_upheld` (Art. 21) are holds: consent given
 * later does not lift them; only the fiduciary lifting the restriction, or the subject withdrawing
 * the objection, does. `guardian_consent_required`, `child_tracking_or_advertising` and
 * `detrimental_to_child` protect children and persons with a lawful guardian (DPDP s.9; GDPR
 * Art. 8): only a verified guardian's consent counts, and a child is never tracked or targeted.
 */
export type ReasonCode =
  | 'lawful_basis'
  | 'consent_valid'
  | 'explicit_opt_in_over_gpc'
  | 'unknown_purpose'
  | 'unknown_category'
  | 'category_not_in_purpose'
  | 'special_category_without_condition'
  | 'actor_not_permitted'
  | 'gpc_opt_out'
  | 'no_consent'
  | 'consent_refused'
  | 'consent_withdrawn'
  | 'consent_expired'
  | 'consent_needs_renewal'
  | 'consent_unavailable'
  | 'processing_restricted'
  | 'objection_upheld'
  | 'guardian_consent_required'
  | 'child_tracking_or_advertising'
  | 'detrimental_to_child'
  | (string & {});

/** A restriction or objection that holds, as the consent check's reason names it. */
export type HoldKind = 'restriction' | 'objection';

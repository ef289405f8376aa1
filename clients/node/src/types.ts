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

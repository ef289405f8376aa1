/**
 * Data-subject requests, both sides: the fiduciary's queue (`/v1/requests`, scope
 * `requests:manage`) and a data principal's own requests (`/v1/me/requests`, scope
 * `requests:self`). Restrictions and objections change what the consent check answers (holds:
 * `processing_restricted`, `objection_upheld`), so the calls that can place or end a hold evict the
 * subject's cached decisions.
 */
import type { CallOptions, Transport } from './http.js';
import type {
  MyRequests,
  PostV1RequestsIdStepBody,
  Request as DataSubjectRequest,
  RequestType as GeneratedRequestType,
  Requests,
} from './types.js';

export type RequestType = GeneratedRequestType;
export type RequestStep = 'verify' | 'start' | 'extend' | 'fulfil' | 'deny' | 'erase' | 'lift' | 'withdraw';
export type PackageFormat = 'json' | 'csv' | 'html';

/** What the request APIs need of the client: its transport and its decision cache. */
export interface RequestsOwner {
  readonly transport: Transport;
  evictSubject(subject: string): void;
  clearCache(): void;
}

function enc(value: string): string {
  return encodeURIComponent(value);
}

/** Steps that can place, keep or end a hold: after them the subject's cached decisions are stale. */
const HOLD_STEPS: ReadonlySet<RequestStep> = new Set(['fulfil', 'deny', 'lift', 'withdraw', 'erase']);

function packageOf(t: Transport, path: string, format: PackageFormat, options?: CallOptions): Promise<unknown> {
  const spec = { method: 'GET' as const, path, query: { format }, idempotent: true, ...options };
  return format === 'json' ? t.json(spec) : t.text({ ...spec, accept: format === 'csv' ? 'text/csv' : 'text/html' });
}

/** The fiduciary's data-subject requests (scope `requests:manage`). */
export class RequestsApi {
  constructor(private readonly pk: RequestsOwner) {}
  private get t(): Transport {
    return this.pk.transport;
  }

  /**
   * Takes in a request. `purposes` only for restriction, objection and human_review (every purpose
   * when left out). An objection to a direct-marketing purpose holds from intake (GDPR Art. 21(3)).
   */
  async create(
    body: { subject: string; type: RequestType; regime?: 'GDPR' | 'DPDP'; identity_verified?: boolean; purposes?: string[] },
    options?: CallOptions,
  ): Promise<DataSubjectRequest> {
    try {
      return await this.t.json<DataSubjectRequest>({ method: 'POST', path: '/v1/requests', json: body, ...options });
    } finally {
      if (body.type === 'objection' || body.type === 'restriction') this.pk.evictSubject(body.subject);
    }
  }
  /** Open requests due within `dueWithinDays` (overdue ones included), soonest first. */
  list(dueWithinDays?: number, options?: CallOptions): Promise<Requests> {
    return this.t.json({ method: 'GET', path: '/v1/requests', query: { due_within_days: dueWithinDays }, idempotent: true, ...options });
  }
  /** A request and its history. */
  get(id: string, options?: CallOptions): Promise<DataSubjectRequest> {
    return this.t.json({ method: 'GET', path: `/v1/requests/${enc(id)}`, idempotent: true, ...options });
  }
  /**
   * Moves a request on: verify {verified}, start, extend {months, reason}, fulfil {note},
   * deny {reason, note}, erase, lift {reason}, withdraw. Steps that can change a hold evict the
   * subject's cached consent decisions.
   */
  async step(id: string, step: RequestStep, body?: PostV1RequestsIdStepBody, options?: CallOptions): Promise<DataSubjectRequest> {
    const updated = await this.t.json<DataSubjectRequest>({ method: 'POST', path: `/v1/requests/${enc(id)}/${step}`, json: body ?? {}, ...options });
    if (HOLD_STEPS.has(step) && typeof updated?.subject === 'string') this.pk.evictSubject(updated.subject);
    return updated;
  }
  /**
   * Lifts a fulfilled restriction (GDPR Art. 18(3)): the subject is told by a `restriction.lifting`
   * webhook, and the restriction keeps holding for the notice period (the hold's `lifts_at`).
   */
  lift(id: string, reason: string, options?: CallOptions): Promise<DataSubjectRequest> {
    return this.step(id, 'lift', { reason }, options);
  }
  /** Records that the requester withdrew a request not yet answered (an objection's hold ends). */
  withdraw(id: string, options?: CallOptions): Promise<DataSubjectRequest> {
    return this.step(id, 'withdraw', {}, options);
  }
  /** The access or portability package: JSON object, or CSV/HTML text. */
  package(id: string, format: PackageFormat = 'json', options?: CallOptions): Promise<unknown> {
    return packageOf(this.t, `/v1/requests/${enc(id)}/package`, format, options);
  }
}

/**
 * A data principal's own requests: the client's token must be the principal's (scope
 * `requests:self`); the subject is the token's, never a parameter, and another principal's request
 * is "not found" (404).
 */
export class MeRequestsApi {
  constructor(private readonly pk: RequestsOwner) {}
  private get t(): Transport {
    return this.pk.transport;
  }

  /**
   * Files a request as the token's subject; identity counts as verified. `purposes` only for
   * restriction, objection and human_review.
   */
  async file(body: { type: RequestType; purposes?: string[] }, options?: CallOptions): Promise<DataSubjectRequest> {
    try {
      return await this.t.json<DataSubjectRequest>({ method: 'POST', path: '/v1/me/requests', json: body, ...options });
    } finally {
      if (body.type === 'objection' || body.type === 'restriction') this.pk.clearCache();
    }
  }
  /** The caller's requests, newest first, and the restrictions and objections that hold. */
  list(options?: CallOptions): Promise<MyRequests> {
    return this.t.json({ method: 'GET', path: '/v1/me/requests', idempotent: true, ...options });
  }
  /** One of the caller's requests, with its history and answer. */
  get(id: string, options?: CallOptions): Promise<DataSubjectRequest> {
    return this.t.json({ method: 'GET', path: `/v1/me/requests/${enc(id)}`, idempotent: true, ...options });
  }
  /** Withdraws one of the caller's requests before it is answered (409 once closed). */
  async withdraw(id: string, options?: CallOptions): Promise<DataSubjectRequest> {
    try {
      return await this.t.json<DataSubjectRequest>({ method: 'POST', path: `/v1/me/requests/${enc(id)}/withdraw`, json: {}, ...options });
    } finally {
      this.pk.clearCache();
    }
  }
  /** The package of the caller's fulfilled access or portability request (409 not-ready before). */
  package(id: string, format: PackageFormat = 'json', options?: CallOptions): Promise<unknown> {
    return packageOf(this.t, `/v1/me/requests/${enc(id)}/package`, format, options);
  }
}

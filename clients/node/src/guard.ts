/**
 * The one core every framework adapter wraps: decide a request (consent check, fail closed) and
 * audit it once answered. Adapters only translate requests and responses.
 */
import type { RequestContext } from './context.js';
import { PrivacyKitRateLimitError, PrivacyKitUnavailableError } from './errors.js';
import type { AuditEventInput, CheckResult, HoldKind, ReasonCode } from './types.js';

/** What the middleware needs of a client: the real one or the `./testing` fake. */
export interface GuardClient {
  consents: {
    check(
      request: { subject: string; purposes: string[]; gpc?: boolean },
      options?: { context?: RequestContext | null },
    ): Promise<CheckResult>;
  };
  audit: { record(event: AuditEventInput): boolean };
}

export type Resolve<Req, T> = T | ((req: Req) => T);

/** A response the adapter sends as is: status, headers, body (a problem object). */
export interface Refusal {
  status: number;
  headers: Record<string, string>;
  body: Record<string, unknown>;
}

export interface ConsentRule<Req> {
  /** Purposes that must all be allowed. */
  purposes: Resolve<Req, string[]>;
  /** The data subject; a request without one is refused (400). */
  subject: Resolve<Req, string | undefined>;
  /** Builds the answer when consent is missing (default: 403 problem+json with each purpose's reason). */
  onDenied?: (result: CheckResult, req: Req, context: RequestContext) => Refusal;
  /** Builds the answer when PrivacyKit cannot answer (default: 503 problem+json with Retry-After). */
  onUnavailable?: (error: unknown, req: Req, context: RequestContext) => Refusal;
}

export interface AuditRule<Req> {
  action?: Resolve<Req, AuditEventInput['action']>;
  subject?: Resolve<Req, string | undefined>;
  purpose?: Resolve<Req, string | undefined>;
  actor?: Resolve<Req, string | undefined>;
  actor_role?: Resolve<Req, string | undefined>;
  categories?: Resolve<Req, string[] | undefined>;
  recipient?: Resolve<Req, string | undefined>;
}

export type Verdict = { ok: true; result: CheckResult } | { ok: false; refusal: Refusal };

const PROBLEM = 'application/problem+json';
/** Retry-After sent with a 503 when the service gave none (seconds). */
export const DEFAULT_RETRY_AFTER = 5;

function resolve<Req, T>(value: Resolve<Req, T>, req: Req): T {
  return typeof value === 'function' ? (value as (req: Req) => T)(req) : value;
}

/** The check's reasons that are holds (a restriction or an objection), and the kind of each. */
export const HOLD_REASONS: Readonly<Record<string, HoldKind>> = Object.freeze({
  processing_restricted: 'restriction',
  objection_upheld: 'objection',
});

/** Whether a check's reason is a hold: no consent given later allows the purpose. */
export function isHoldReason(reason: ReasonCode | null | undefined): boolean {
  return typeof reason === 'string' && Object.prototype.hasOwnProperty.call(HOLD_REASONS, reason);
}

/**
 * The 403 problem of a refused check. `reasons` maps each refused purpose to the service's reason
 * code. When a restriction (GDPR Art. 18) or objection (Art. 21) holds for a refused purpose the
 * problem says so: type `processing-held`, and `holds` maps those purposes to `restriction` or
 * `objection` (asking for consent would not help); otherwise it is `consent-required`.
 */
export function deniedProblem(result: CheckResult, context: RequestContext): Refusal {
  const denied = Object.entries(result.results).filter(([, d]) => !d.allowed);
  const holds = Object.fromEntries(denied.filter(([, d]) => isHoldReason(d.reason)).map(([p, d]) => [p, HOLD_REASONS[d.reason]]));
  const held = Object.keys(holds).length > 0;
  return {
    status: 403,
    headers: { 'Content-Type': PROBLEM },
    body: {
      type: held ? 'https://privacykit.dev/problems/processing-held' : 'https://privacykit.dev/problems/consent-required',
      title: held ? 'Processing restricted or objected to' : 'Consent required',
      status: 403,
      detail: denied.map(([p, d]) => `${p}: ${d.reason}`).join('; ') || 'not allowed',
      reasons: Object.fromEntries(denied.map(([p, d]) => [p, d.reason])),
      ...(held ? { holds } : {}),
      request_id: context.requestId,
    },
  };
}

export function unavailableProblem(error: unknown, context: RequestContext): Refusal {
  const retryAfter =
    error instanceof PrivacyKitUnavailableError || error instanceof PrivacyKitRateLimitError ? error.retryAfter : undefined;
  return {
    status: 503,
    headers: { 'Content-Type': PROBLEM, 'Retry-After': String(retryAfter ?? DEFAULT_RETRY_AFTER) },
    body: {
      type: 'https://privacykit.dev/problems/consent-unavailable',
      title: 'Consent cannot be checked',
      status: 503,
      detail: 'the consent service did not answer; the request was not processed',
      request_id: context.requestId,
    },
  };
}

/** Decides a request: allowed, or the refusal to send. Never throws; fails closed. */
export async function decide<Req>(client: GuardClient, rule: ConsentRule<Req>, req: Req, context: RequestContext): Promise<Verdict> {
  let subject: string | undefined;
  let purposes: string[];
  try {
    subject = resolve(rule.subject, req);
    purposes = resolve(rule.purposes, req);
  } catch {
    subject = undefined;
    purposes = [];
  }
  if (!subject || purposes.length === 0) {
    return {
      ok: false,
      refusal: {
        status: 400,
        headers: { 'Content-Type': PROBLEM },
        body: {
          type: 'https://privacykit.dev/problems/subject-required',
          title: 'No data subject',
          status: 400,
          detail: 'the request names no data subject or purpose to check consent for',
          request_id: context.requestId,
        },
      },
    };
  }
  try {
    const result = await client.consents.check({ subject, purposes, ...(context.gpc ? { gpc: true } : {}) }, { context });
    if (result.allowed === true) return { ok: true, result };
    return { ok: false, refusal: (rule.onDenied ?? ((r, _q, c) => deniedProblem(r, c)))(result, req, context) };
  } catch (error) {
    return { ok: false, refusal: (rule.onUnavailable ?? ((e, _q, c) => unavailableProblem(e, c)))(error, req, context) };
  }
}

/** Queues the audit entry of an answered request; never throws (a full queue is the batcher's business). */
export function recordAccess<Req>(client: GuardClient, rule: AuditRule<Req>, req: Req, status: number, context: RequestContext): void {
  try {
    const event: AuditEventInput = {
      action: rule.action ? resolve(rule.action, req) : 'read',
      outcome: status === 403 || status === 401 ? 'denied' : status >= 400 ? 'failure' : 'success',
      request_id: context.requestId,
    };
    const fields = ['subject', 'purpose', 'actor', 'actor_role', 'categories', 'recipient'] as const;
    for (const field of fields) {
      const value = rule[field] === undefined ? undefined : resolve(rule[field] as Resolve<Req, unknown>, req);
      if (value !== undefined && value !== null) (event as Record<string, unknown>)[field] = value;
    }
    client.audit.record(event);
  } catch {
    // dropped: counted by the batcher when it was the queue
  }
}

/**
 * Calls `done(status)` once when a Node response is sent ('finish') or its connection closes
 * first (then with 499, so an interrupted response is audited as a failure).
 */
export function whenAnswered(res: import('node:http').ServerResponse, done: (status: number) => void): void {
  let called = false;
  const once = () => {
    if (called) return;
    called = true;
    res.off('finish', once);
    res.off('close', once);
    done(res.writableFinished ? res.statusCode : 499);
  };
  res.once('finish', once);
  res.once('close', once);
}

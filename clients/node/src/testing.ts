/**
 * An in-memory fake of the client for unit tests of code that uses `@privacykit/node`: the same
 * `consents` and `audit` calls (and `close`, `evictSubject`, `clearCache`), no service needed.
 *
 * ```ts
 * const pk = new FakePrivacyKit();
 * await pk.consents.give('user-1', 'email_marketing', { notice_version: 2 });
 * pk.audit.entries // what was recorded
 * pk.unavailable = true // every call now fails as if the service were down
 * ```
 */
import { randomUUID } from 'node:crypto';
import type { CloseResult } from './batcher.js';
import { currentContext } from './context.js';
import { PrivacyKitUnavailableError } from './errors.js';
import type { GuardClient } from './guard.js';
import type {
  AuditEntry,
  AuditEventInput,
  AuditQuery,
  CheckResult,
  ConsentAction,
  ConsentAnswer,
  ConsentChange,
  ConsentCheckRequest,
  ConsentEvent,
  ConsentEvents,
  HoldKind,
  SubjectConsents,
} from './types.js';

const STATE: Record<ConsentAction, ConsentAnswer['state']> = {
  give: 'GIVEN',
  renew: 'RENEWED',
  refuse: 'REFUSED',
  withdraw: 'WITHDRAWN',
};

export interface FakeOptions {
  /** Purposes allowed without consent (e.g. contract, legal obligation). */
  lawfulWithoutConsent?: string[];
}

export class FakePrivacyKit implements GuardClient {
  /** When true, every call throws a {@link PrivacyKitUnavailableError} (status 503). */
  unavailable = false;
  readonly consents: FakeConsents;
  readonly audit: FakeAudit;
  /** Every call made, as `"namespace.method"` with its arguments. */
  readonly calls: Array<{ method: string; args: unknown[] }> = [];

  constructor(readonly options: FakeOptions = {}) {
    this.consents = new FakeConsents(this);
    this.audit = new FakeAudit(this);
  }

  /** @internal */
  guard(method: string, args: unknown[]): void {
    this.calls.push({ method, args });
    if (this.unavailable) {
      throw new PrivacyKitUnavailableError({ status: 503, title: 'Service unavailable', detail: 'FakePrivacyKit.unavailable is set', retryAfter: 1 });
    }
  }

  evictSubject(_subject: string): void {}
  clearCache(): void {}
  async close(_options?: { timeoutMs?: number }): Promise<CloseResult> {
    return { sent: this.audit.entries.length, dropped: 0, left: 0 };
  }
}

export class FakeConsents {
  /** subject → purpose → events, oldest first */
  readonly events = new Map<string, Map<string, ConsentEvent[]>>();
  /** subject → purpose (`*` for all) → the restriction or objection that holds */
  readonly holds = new Map<string, Map<string, HoldKind>>();
  constructor(private readonly fake: FakePrivacyKit) {}

  /**
   * Places a hold, as a fulfilled restriction (GDPR Art. 18) or an upheld objection (Art. 21)
   * does: the check then denies the purpose (`*`: every purpose) with `processing_restricted` or
   * `objection_upheld`, whatever the consent or lawful basis.
   */
  hold(subject: string, purpose: string, kind: HoldKind): void {
    const byPurpose = this.holds.get(subject) ?? new Map<string, HoldKind>();
    this.holds.set(subject, byPurpose);
    byPurpose.set(purpose, kind);
  }
  /** Ends a hold placed with {@link hold}. */
  release(subject: string, purpose: string): void {
    this.holds.get(subject)?.delete(purpose);
  }

  async change(subject: string, purpose: string, action: ConsentAction, body?: ConsentChange): Promise<ConsentEvent> {
    this.fake.guard(`consents.${action}`, [subject, purpose, body]);
    const now = new Date().toISOString();
    const event: ConsentEvent = {
      event_id: randomUUID(),
      subject,
      purpose,
      state: STATE[action],
      notice_version: body?.notice_version ?? 0,
      lawful_basis: 'consent',
      method: body?.method ?? 'api',
      acting_party: body?.acting_party ?? 'self',
      collected_at: now,
      received_at: now,
    };
    const byPurpose = this.events.get(subject) ?? new Map<string, ConsentEvent[]>();
    this.events.set(subject, byPurpose);
    byPurpose.set(purpose, [...(byPurpose.get(purpose) ?? []), event]);
    return event;
  }
  give(subject: string, purpose: string, body: ConsentChange & { notice_version: number }) {
    return this.change(subject, purpose, 'give', body);
  }
  renew(subject: string, purpose: string, body: ConsentChange & { notice_version: number }) {
    return this.change(subject, purpose, 'renew', body);
  }
  refuse(subject: string, purpose: string, body?: ConsentChange) {
    return this.change(subject, purpose, 'refuse', body);
  }
  withdraw(subject: string, purpose: string, body?: ConsentChange) {
    return this.change(subject, purpose, 'withdraw', body);
  }

  private answer(subject: string, purpose: string): ConsentAnswer {
    const last = this.events.get(subject)?.get(purpose)?.at(-1);
    return {
      purpose,
      state: (last?.state as ConsentAnswer['state']) ?? 'NONE',
      notice_version: last?.notice_version ?? 0,
      changed_at: last?.received_at ?? null,
      explicit: false,
    };
  }
  async state(subject: string, purpose: string): Promise<ConsentAnswer> {
    this.fake.guard('consents.state', [subject, purpose]);
    return this.answer(subject, purpose);
  }
  async list(subject: string): Promise<SubjectConsents> {
    this.fake.guard('consents.list', [subject]);
    return { subject, consents: [...(this.events.get(subject)?.keys() ?? [])].map((p) => this.answer(subject, p)) };
  }
  async history(subject: string, purpose: string): Promise<ConsentEvents> {
    this.fake.guard('consents.history', [subject, purpose]);
    return { events: [...(this.events.get(subject)?.get(purpose) ?? [])] };
  }
  async check(request: ConsentCheckRequest, _options?: unknown): Promise<CheckResult> {
    this.fake.guard('consents.check', [request]);
    const results: CheckResult['results'] = {};
    for (const purpose of request.purposes) {
      const lawful = this.fake.options.lawfulWithoutConsent?.includes(purpose) ?? false;
      const state = this.answer(request.subject, purpose).state;
      const given = state === 'GIVEN' || state === 'RENEWED';
      const held = this.holds.get(request.subject)?.get(purpose) ?? this.holds.get(request.subject)?.get('*');
      if (held) {
        results[purpose] = {
          allowed: false,
          reason: held === 'restriction' ? 'processing_restricted' : 'objection_upheld',
          detail: `fake: ${held} holds`,
        };
        continue;
      }
      const allowed = lawful || (given && !request.gpc);
      results[purpose] = {
        allowed,
        reason: lawful ? 'lawful_basis' : given ? (request.gpc ? 'gpc_opt_out' : 'consent_valid') : state === 'NONE' ? 'no_consent' : `consent_${state.toLowerCase()}`,
        detail: `fake: ${state}`,
      };
    }
    return { subject: request.subject, allowed: Object.values(results).every((d) => d.allowed), results };
  }
  async allowed(subject: string, purposes: string[]): Promise<boolean> {
    try {
      return (await this.check({ subject, purposes })).allowed;
    } catch {
      return false;
    }
  }
}

export class FakeAudit {
  /** Everything recorded or appended, in order, as the service would store it. */
  readonly entries: AuditEntry[] = [];
  constructor(private readonly fake: FakePrivacyKit) {}

  private add(event: AuditEventInput): number {
    const seq = this.entries.length;
    this.entries.push({
      seq,
      recorded_at: new Date().toISOString(),
      actor: event.actor ?? 'fake-backend',
      actor_role: event.actor_role ?? null,
      subject: event.subject ?? null,
      action: event.action,
      purpose: event.purpose ?? null,
      legal_basis: event.legal_basis ?? null,
      categories: event.categories ?? [],
      recipient: event.recipient ?? null,
      request_id: event.request_id ?? currentContext()?.requestId ?? null,
      outcome: event.outcome ?? 'success',
      leaf_hash: '',
    });
    return seq;
  }
  record(event: AuditEventInput): boolean {
    this.fake.calls.push({ method: 'audit.record', args: [event] });
    this.add(event);
    return true;
  }
  async append(event: AuditEventInput): Promise<{ seq: number }> {
    this.fake.guard('audit.append', [event]);
    return { seq: this.add(event) };
  }
  async appendBatch(events: AuditEventInput[]): Promise<{ seqs: number[] }> {
    this.fake.guard('audit.appendBatch', [events]);
    return { seqs: events.map((e) => this.add(e)) };
  }
  async flush(): Promise<void> {}
  async *query(query: AuditQuery = {}): AsyncGenerator<AuditEntry> {
    this.fake.guard('audit.query', [query]);
    for (const e of this.entries) {
      if (query.subject && e.subject !== query.subject) continue;
      if (query.actor && e.actor !== query.actor) continue;
      if (query.purpose && e.purpose !== query.purpose) continue;
      if (query.action && e.action !== query.action) continue;
      if (query.after !== undefined && e.seq <= query.after) continue;
      yield e;
    }
  }
  async subjectReport(subject: string): Promise<{ entries: AuditEntry[] }> {
    this.fake.guard('audit.subjectReport', [subject]);
    return { entries: this.entries.filter((e) => e.subject === subject) };
  }
}

/** Shorthand: `createFakePrivacyKit()`. */
export function createFakePrivacyKit(options?: FakeOptions): FakePrivacyKit {
  return new FakePrivacyKit(options);
}

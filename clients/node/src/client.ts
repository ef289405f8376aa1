import { randomUUID } from 'node:crypto';
import { AuditBatcher, type AuditBatcherOptions, type CloseResult } from './batcher.js';
import { DecisionCache } from './cache.js';
import { currentContext } from './context.js';
import { Transport, ndjson, type CallOptions, type FetchLike, type TokenSource } from './http.js';
import { ConsentManagersApi } from './consentManagers.js';
import { IncidentsApi } from './incidents.js';
import { GuardiansApi, MeWardsApi } from './guardians.js';
import { RetentionApi } from './retention.js';
import { MeRequestsApi, RequestsApi } from './requests.js';
import type {
  AuditEntries,
  AuditEntry,
  AuditEventInput,
  AuditQuery,
  AuditShards,
  Checkpoint,
  CheckResult,
  ConsentAction,
  ConsentAnswer,
  ConsentChange,
  ConsentCheckRequest,
  ConsentEvent,
  ConsentEvents,
  ConsistencyProof,
  CryptoItem,
  CryptoResult,
  Deliveries,
  ImportResult,
  InclusionProof,
  Notices,
  NoticeVersion,
  Purposes,
  Receipt,
  Recipient,
  RecordsOfProcessing,
  SubjectConsents,
  MyConsentManagers,
  Summary,
  Verification,
} from './types.js';

export const VERSION = '0.1.0';

export interface PrivacyKitOptions {
  /** Service base URL (default `PRIVACYKIT_URL` or `http://127.0.0.1:8080`). */
  baseUrl?: string;
  /** Bearer token, or an (async) function returning one, called per request (default `PRIVACYKIT_TOKEN`). */
  token?: TokenSource;
  /** Per-request timeout in ms (default 5,000). */
  timeoutMs?: number;
  /** Timeout of consent checks in ms (default 2,000): fail closed fast. */
  checkTimeoutMs?: number;
  /** Retries of idempotent calls on unavailability (default 2). Consent checks are never retried. */
  retries?: number;
  /** Consent decision cache: TTL in ms (default 3,000; 0 turns caching off) and size (default 10,000). */
  cache?: { ttlMs?: number; maxEntries?: number };
  /** Audit batcher settings. */
  audit?: AuditBatcherOptions;
  /** fetch implementation (default the global one). */
  fetch?: FetchLike;
  /** Clock for the cache, injectable for tests. */
  now?: () => number;
}

/** Items of a batch crypto call: one result per item, in order, errors per item. */
export interface CryptoBatchResult {
  results: CryptoResult[];
}

type CryptoOp = 'encrypt' | 'decrypt' | 'blind-index' | 'rewrap';

function enc(value: string): string {
  return encodeURIComponent(value);
}

function withKey<T extends { idempotency_key?: string }>(body: T | undefined): T {
  const copy = { ...(body ?? ({} as T)) };
  if (!copy.idempotency_key) copy.idempotency_key = randomUUID();
  return copy;
}

/**
 * The PrivacyKit client: one per process, shared by every request. Thread of control: calls are
 * independent; the consent cache and the audit batcher are shared.
 */
export class PrivacyKit {
  readonly transport: Transport;
  readonly cache: DecisionCache<CheckResult>;
  readonly batcher: AuditBatcher;
  private readonly checkTimeoutMs: number;

  readonly consents: ConsentsApi;
  readonly policy: PolicyApi;
  readonly me: MeApi;
  readonly requests: RequestsApi;
  readonly incidents: IncidentsApi;
  /** Children and persons with a lawful guardian: markings and verified guardians (guardians:manage). */
  readonly guardians: GuardiansApi;
  readonly consentManagers: ConsentManagersApi;
  readonly retention: RetentionApi;
  readonly audit: AuditApi;
  readonly crypto: CryptoApi;
  readonly webhooks: WebhooksApi;

  constructor(options: PrivacyKitOptions = {}) {
    const token = options.token ?? process.env.PRIVACYKIT_TOKEN;
    if (!token) throw new TypeError('PrivacyKit needs a token (option token or PRIVACYKIT_TOKEN)');
    this.transport = new Transport({
      baseUrl: options.baseUrl ?? process.env.PRIVACYKIT_URL ?? 'http://127.0.0.1:8080',
      token,
      timeoutMs: options.timeoutMs ?? 5000,
      fetch: options.fetch ?? ((input, init) => fetch(input, init)),
      userAgent: `privacykit-node/${VERSION} node/${process.versions.node}`,
      retries: options.retries ?? 2,
    });
    this.checkTimeoutMs = options.checkTimeoutMs ?? 2000;
    this.cache = new DecisionCache<CheckResult>({
      ttlMs: options.cache?.ttlMs ?? 3000,
      maxEntries: options.cache?.maxEntries ?? 10_000,
      ...(options.now ? { now: options.now } : {}),
    });
    this.batcher = new AuditBatcher(async (events, signal) => {
      const answer = await this.transport.json<{ seqs: number[] }>({
        method: 'POST',
        path: '/v1/audit/events/batch',
        json: { events },
        signal,
        context: null,
      });
      return answer.seqs;
    }, options.audit);
    this.consents = new ConsentsApi(this);
    this.policy = new PolicyApi(this.transport);
    this.me = new MeApi(this);
    this.requests = new RequestsApi(this);
    this.incidents = new IncidentsApi(this.transport);
    this.guardians = new GuardiansApi(this);
    this.consentManagers = new ConsentManagersApi(this.transport, () => this.clearCache());
    this.retention = new RetentionApi(this.transport);
    this.audit = new AuditApi(this);
    this.crypto = new CryptoApi(this.transport);
    this.webhooks = new WebhooksApi(this.transport);
  }

  /** @internal */
  get checkTimeout(): number {
    return this.checkTimeoutMs;
  }

  /** Forgets cached consent decisions about `subject` (webhooks call this). */
  evictSubject(subject: string): void {
    this.cache.evictSubject(subject);
  }

  /** Forgets every cached consent decision. */
  clearCache(): void {
    this.cache.clear();
  }

  /** Flushes the audit queue and stops its timer: call it on shutdown. */
  close(options?: { timeoutMs?: number }): Promise<CloseResult> {
    return this.batcher.close(options);
  }
}

export class ConsentsApi {
  constructor(private readonly pk: PrivacyKit) {}
  private get t(): Transport {
    return this.pk.transport;
  }

  /**
   * Records a change; an idempotency key is added when the body has none, so the call is retried
   * safely. Evicts the subject's cached decisions.
   */
  async change(subject: string, purpose: string, action: ConsentAction, body?: ConsentChange, options?: CallOptions): Promise<ConsentEvent> {
    try {
      return await this.t.json<ConsentEvent>({
        method: 'POST',
        path: `/v1/subjects/${enc(subject)}/consents/${enc(purpose)}/${action}`,
        json: withKey(body),
        idempotent: true,
        ...options,
      });
    } finally {
      this.pk.evictSubject(subject);
    }
  }
  give(subject: string, purpose: string, body: ConsentChange & { notice_version: number }, options?: CallOptions) {
    return this.change(subject, purpose, 'give', body, options);
  }
  renew(subject: string, purpose: string, body: ConsentChange & { notice_version: number }, options?: CallOptions) {
    return this.change(subject, purpose, 'renew', body, options);
  }
  refuse(subject: string, purpose: string, body?: ConsentChange, options?: CallOptions) {
    return this.change(subject, purpose, 'refuse', body, options);
  }
  withdraw(subject: string, purpose: string, body?: ConsentChange, options?: CallOptions) {
    return this.change(subject, purpose, 'withdraw', body, options);
  }
  /** Records a Global Privacy Control opt-out for the purposes the policy marks. */
  async gpc(subject: string, options?: CallOptions): Promise<ConsentEvents> {
    try {
      return await this.t.json<ConsentEvents>({ method: 'POST', path: `/v1/subjects/${enc(subject)}/gpc`, ...options });
    } finally {
      this.pk.evictSubject(subject);
    }
  }
  /** Current consent for every purpose with a record. */
  list(subject: string, options?: CallOptions): Promise<SubjectConsents> {
    return this.t.json({ method: 'GET', path: `/v1/subjects/${enc(subject)}/consents`, idempotent: true, ...options });
  }
  /** Current consent for one purpose (404 error when none was ever recorded). */
  state(subject: string, purpose: string, options?: CallOptions): Promise<ConsentAnswer> {
    return this.t.json({ method: 'GET', path: `/v1/subjects/${enc(subject)}/consents/${enc(purpose)}`, idempotent: true, ...options });
  }
  history(subject: string, purpose: string, options?: CallOptions): Promise<ConsentEvents> {
    return this.t.json({ method: 'GET', path: `/v1/subjects/${enc(subject)}/consents/${enc(purpose)}/history`, idempotent: true, ...options });
  }
  receipt(subject: string, purpose: string, format: 'kantara' | 'iso' = 'kantara', options?: CallOptions): Promise<Receipt> {
    return this.t.json({
      method: 'GET',
      path: `/v1/subjects/${enc(subject)}/consents/${enc(purpose)}/receipt`,
      query: { format },
      idempotent: true,
      ...options,
    });
  }
  /** The public JWK that verifies receipts. */
  receiptKey(options?: CallOptions): Promise<Record<string, unknown>> {
    return this.t.json({ method: 'GET', path: '/v1/receipts/key', idempotent: true, ...options });
  }

  /**
   * May `subject` be processed for `purposes` now? Answers from the local cache (TTL-bounded,
   * single-flight) or the service. Throws when the service cannot answer: callers must fail closed.
   */
  check(request: ConsentCheckRequest, options?: CallOptions & { cache?: boolean }): Promise<CheckResult> {
    const context = options?.context === null ? undefined : (options?.context ?? currentContext());
    const gpc = request.gpc ?? context?.gpc ?? false;
    const body: ConsentCheckRequest = { subject: request.subject, purposes: [...request.purposes] };
    if (gpc) body.gpc = true;
    if (request.actor_roles) body.actor_roles = [...request.actor_roles];
    const load = () =>
      this.t.json<CheckResult>({
        method: 'POST',
        path: '/v1/consents/check',
        json: body,
        timeoutMs: options?.timeoutMs ?? this.pk.checkTimeout,
        signal: options?.signal,
        context,
      });
    if (options?.cache === false) return load();
    const key = [
      JSON.stringify(request.subject),
      [...new Set(request.purposes)].sort().join(','),
      gpc ? 'gpc' : '',
      request.actor_roles ? [...request.actor_roles].sort().join(',') : '*',
    ].join('|');
    return this.pk.cache.get(key, request.subject, load);
  }

  /** True only when every purpose is allowed; false on any error (fail closed). */
  async allowed(subject: string, purposes: string[], options?: CallOptions): Promise<boolean> {
    try {
      return (await this.check({ subject, purposes }, options)).allowed === true;
    } catch {
      return false;
    }
  }

  /** Imports consent records (NDJSON lines, or objects); re-imports are idempotent. */
  async import(records: string | Iterable<unknown> | AsyncIterable<unknown>, options?: CallOptions): Promise<ImportResult> {
    let body = '';
    if (typeof records === 'string') body = records;
    else for await (const r of records as AsyncIterable<unknown>) body += `${JSON.stringify(r)}\n`;
    try {
      return await this.t.json<ImportResult>({
        method: 'POST',
        path: '/v1/consents/import',
        body,
        contentType: 'application/x-ndjson',
        idempotent: true,
        ...options,
      });
    } finally {
      this.pk.clearCache();
    }
  }

  /** Every consent event of the tenant, streamed. */
  async *export(options?: CallOptions): AsyncGenerator<Record<string, unknown>> {
    const response = await this.t.request({
      method: 'GET',
      path: '/v1/consents/export',
      accept: 'application/x-ndjson',
      timeoutMs: options?.timeoutMs ?? 10 * 60_000,
      signal: options?.signal,
      context: options?.context,
    });
    yield* ndjson<Record<string, unknown>>(response);
  }
}

export class PolicyApi {
  constructor(private readonly t: Transport) {}
  purposes(options?: CallOptions): Promise<Purposes> {
    return this.t.json({ method: 'GET', path: '/v1/purposes', idempotent: true, ...options });
  }
  notices(options?: CallOptions): Promise<Notices> {
    return this.t.json({ method: 'GET', path: '/v1/notices', idempotent: true, ...options });
  }
  private readonly versions = new Map<string, Promise<NoticeVersion>>();
  /**
   * One notice version as the person is shown it (DPDP s.5, Rules 2025 rule 3; GDPR Art. 13): each
   * exact text with its SHA-256, which a consent change may send back as `notice_hash` to prove
   * the text shown; the items, services and links. `language` narrows the texts to one. The route
   * is public on the service; a published version does not change, so answers are kept in memory
   * (the last 64; a failure is not kept).
   */
  notice(id: string, version: number, language?: string, options?: CallOptions): Promise<NoticeVersion> {
    const key = JSON.stringify([id, version, language ?? null]);
    const kept = this.versions.get(key);
    if (kept) return kept;
    const answer = this.t.json<NoticeVersion>({
      method: 'GET',
      path: `/v1/notices/${enc(id)}/${enc(String(version))}`,
      query: { language },
      idempotent: true,
      ...options,
    });
    this.versions.set(key, answer);
    if (this.versions.size > 64) this.versions.delete(this.versions.keys().next().value as string);
    answer.catch(() => this.versions.delete(key));
    return answer;
  }
}

/**
 * A data principal's own calls: the client's token must be the principal's (scope consents:self
 * for consents, requests:self for `requests`).
 */
export class MeApi {
  /** The principal's own data-subject requests (`/v1/me/requests`). */
  readonly requests: MeRequestsApi;
  /** A verified parent's or guardian's calls for her wards (`/v1/me/wards`). */
  readonly wards: MeWardsApi;
  constructor(private readonly pk: PrivacyKit) {
    this.requests = new MeRequestsApi(pk);
    this.wards = new MeWardsApi(pk);
  }
  consents(options?: CallOptions): Promise<SubjectConsents> {
    return this.pk.transport.json({ method: 'GET', path: '/v1/me/consents', idempotent: true, ...options });
  }
  /** Which Consent Managers acted for the principal, with the artefacts each sent for her. */
  consentManagers(options?: CallOptions): Promise<MyConsentManagers> {
    return this.pk.transport.json({ method: 'GET', path: '/v1/me/consent-managers', idempotent: true, ...options });
  }
  async change(purpose: string, action: ConsentAction, body?: ConsentChange, options?: CallOptions): Promise<ConsentEvent> {
    try {
      return await this.pk.transport.json<ConsentEvent>({
        method: 'POST',
        path: `/v1/me/consents/${enc(purpose)}/${action}`,
        json: withKey(body),
        idempotent: true,
        ...options,
      });
    } finally {
      this.pk.clearCache();
    }
  }
}

/** The tamper-evident audit log. */
export class AuditApi {
  constructor(private readonly pk: PrivacyKit) {}
  private get t(): Transport {
    return this.pk.transport;
  }

  /** Appends one event now; answered after commit. The request context's id is its `request_id`. */
  append(event: AuditEventInput, options?: CallOptions): Promise<{ seq: number }> {
    const context = options?.context === null ? undefined : (options?.context ?? currentContext());
    const json = { ...event };
    if (!json.request_id && context) json.request_id = context.requestId;
    return this.t.json({ method: 'POST', path: '/v1/audit/events', json, idempotent: json.idempotency_key !== undefined, ...options });
  }
  /** Appends up to 1,000 events at once, all or nothing. */
  appendBatch(events: AuditEventInput[], options?: CallOptions): Promise<{ seqs: number[] }> {
    return this.t.json({
      method: 'POST',
      path: '/v1/audit/events/batch',
      json: { events },
      idempotent: events.every((e) => e.idempotency_key !== undefined),
      ...options,
    });
  }
  /**
   * Queues an event for the batcher (returns at once; see the batcher's overflow policy). The
   * current request's id becomes its `request_id`.
   */
  record(event: AuditEventInput): boolean {
    const context = currentContext();
    return this.pk.batcher.enqueue(!event.request_id && context ? { ...event, request_id: context.requestId } : event);
  }
  /** Sends every queued event now. */
  flush(): Promise<void> {
    return this.pk.batcher.flush();
  }
  /** One page of entries. */
  page(query: AuditQuery = {}, options?: CallOptions): Promise<AuditEntries> {
    return this.t.json({ method: 'GET', path: '/v1/audit/events', query: { ...query }, idempotent: true, ...options });
  }
  /** Every matching entry, page after page. */
  async *query(query: AuditQuery = {}, options?: CallOptions): AsyncGenerator<AuditEntry> {
    let after = query.after;
    // The first page's bound is kept: entries appended while paging (the reads of this very query
    // among them, when it names a subject) cannot keep the listing going.
    let before = query.before;
    for (;;) {
      const page = await this.page(
        { ...query, ...(after !== undefined ? { after } : {}), ...(before !== undefined ? { before } : {}) },
        options,
      );
      yield* page.entries;
      if (page.next_after === null || page.next_after === undefined || page.entries.length === 0) return;
      after = page.next_after;
      if (before === undefined && typeof page.before === 'number') before = page.before;
    }
  }
  /** Subject access report (JSON object, or CSV/HTML text). */
  subjectReport(subject: string, options?: CallOptions): Promise<{ checkpoint: Checkpoint; entries: Array<Record<string, unknown>> }>;
  subjectReport(subject: string, options: CallOptions & { format: 'csv' | 'html' }): Promise<string>;
  subjectReport(subject: string, options?: CallOptions & { format?: 'json' | 'csv' | 'html' }): Promise<unknown> {
    const format = options?.format ?? 'json';
    const spec = { method: 'GET' as const, path: `/v1/audit/reports/subjects/${enc(subject)}`, query: { format }, idempotent: true, ...options };
    return format === 'json' ? this.t.json(spec) : this.t.text({ ...spec, accept: format === 'csv' ? 'text/csv' : 'text/html' });
  }
  summary(range: { from?: string; to?: string } = {}, options?: CallOptions): Promise<Summary> {
    return this.t.json({ method: 'GET', path: '/v1/audit/reports/summary', query: range, idempotent: true, ...options });
  }
  /** The record of processing activities (GDPR Art. 30), as JSON or the server's HTML page. */
  recordsOfProcessing(range?: { from?: string; to?: string }, options?: CallOptions): Promise<RecordsOfProcessing>;
  recordsOfProcessing(range: { from?: string; to?: string }, options: CallOptions & { format: 'html' }): Promise<string>;
  recordsOfProcessing(range: { from?: string; to?: string } = {}, options?: CallOptions & { format?: 'json' | 'html' }): Promise<unknown> {
    const format = options?.format ?? 'json';
    const spec = { method: 'GET' as const, path: '/v1/reports/records-of-processing', query: { ...range, format }, idempotent: true, ...options };
    return format === 'json' ? this.t.json(spec) : this.t.text({ ...spec, accept: 'text/html' });
  }
  checkpoint(options?: CallOptions): Promise<Checkpoint> {
    return this.t.json({ method: 'GET', path: '/v1/audit/checkpoint', idempotent: true, ...options });
  }
  /**
   * How the log is sharded: the count, the caller's tenant's shard, each shard's newest signed
   * checkpoint and the top-level checkpoint that pins them all (null with one tree).
   */
  shards(options?: CallOptions): Promise<AuditShards> {
    return this.t.json({ method: 'GET', path: '/v1/audit/shards', idempotent: true, ...options });
  }
  /** On a sharded log the proof also carries `shard` and `top`, the top-level half; check both. */
  inclusionProof(seq: number, options?: CallOptions): Promise<InclusionProof> {
    return this.t.json({ method: 'GET', path: '/v1/audit/proofs/inclusion', query: { seq }, idempotent: true, ...options });
  }
  consistencyProof(from: number, to?: number, options?: CallOptions): Promise<ConsistencyProof> {
    return this.t.json({ method: 'GET', path: '/v1/audit/proofs/consistency', query: { from, to }, idempotent: true, ...options });
  }
  /** Recomputes the whole log server-side and checks every checkpoint. */
  verify(options?: CallOptions): Promise<Verification> {
    return this.t.json({ method: 'POST', path: '/v1/audit/verify', timeoutMs: options?.timeoutMs ?? 120_000, ...options });
  }
}

/** Encryption as a service; batch calls answer one result per item with per-item errors. */
export class CryptoApi {
  constructor(private readonly t: Transport) {}
  private one(op: CryptoOp, item: CryptoItem, options?: CallOptions): Promise<CryptoResult> {
    return this.t.json({ method: 'POST', path: `/v1/crypto/${op}`, json: item, ...options });
  }
  private batch(op: CryptoOp, items: CryptoItem[], options?: CallOptions): Promise<CryptoBatchResult> {
    return this.t.json({ method: 'POST', path: `/v1/crypto/${op}/batch`, json: { items }, ...options });
  }
  encrypt(item: CryptoItem, options?: CallOptions) {
    return this.one('encrypt', item, options);
  }
  decrypt(item: CryptoItem, options?: CallOptions) {
    return this.one('decrypt', item, options);
  }
  blindIndex(item: CryptoItem, options?: CallOptions) {
    return this.one('blind-index', item, options);
  }
  rewrap(item: CryptoItem, options?: CallOptions) {
    return this.one('rewrap', item, options);
  }
  encryptBatch(items: CryptoItem[], options?: CallOptions) {
    return this.batch('encrypt', items, options);
  }
  decryptBatch(items: CryptoItem[], options?: CallOptions) {
    return this.batch('decrypt', items, options);
  }
  blindIndexBatch(items: CryptoItem[], options?: CallOptions) {
    return this.batch('blind-index', items, options);
  }
  rewrapBatch(items: CryptoItem[], options?: CallOptions) {
    return this.batch('rewrap', items, options);
  }
}

export class WebhooksApi {
  constructor(private readonly t: Transport) {}
  /** Registers a recipient; the answer's `secret` is shown only this once. */
  register(url: string, events: string[], options?: CallOptions): Promise<Recipient> {
    return this.t.json({ method: 'POST', path: '/v1/webhooks', json: { url, events }, ...options });
  }
  deliveries(options?: CallOptions): Promise<Deliveries> {
    return this.t.json({ method: 'GET', path: '/v1/webhooks/deliveries', idempotent: true, ...options });
  }
  /** Removes a recipient: no new events, and its pending deliveries stop. 404 if it is not this tenant's. */
  async remove(id: string, options?: CallOptions): Promise<void> {
    await this.t.request({ method: 'DELETE', path: `/v1/webhooks/${encodeURIComponent(id)}`, idempotent: true, ...options });
  }
}

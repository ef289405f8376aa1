import { createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

/** The event types a recipient can register for (the service's `POST /v1/webhooks` enum). */
export const WEBHOOK_EVENT_TYPES = [
  'consent.withdrawn',
  'subject.erased',
  'processing.restricted',
  'processing.objected',
  'restriction.lifting',
  'retention.notice',
  'retention.erase',
  'retention.anonymise',
  'breach.notice',
  'subject.rectified',
  'consent_manager.change',
] as const;

/**
 * A webhook event type: consent withdrawn, subject erased; a restriction (GDPR Art. 18) or an
 * objection (Art. 21) now holds, or a restriction is being lifted (`restriction.lifting`, sent
 * before it stops holding, Art. 18(3)); retention notices and the erasure or anonymisation the
 * retention rules ask of the host backend; a personal data breach notice to an affected principal;
 * a consent change made directly with the fiduciary, sent to the Consent Manager the principal acts
 * through (`consent_manager.change`, only to the webhook that stands for that manager).
 */
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

/** A webhook event as PrivacyKit sends it. */
export interface WebhookEvent {
  type: WebhookEventType | (string & {});
  tenant: string;
  subject: string;
  purpose: string | null;
  /** The request (processing.*, restriction.lifting) or incident (breach.notice) it is about. */
  reference: string | null;
  /** When it happened; for restriction.lifting, when the restriction stops holding. */
  occurred_at: string;
}

export interface VerifyOptions {
  /** Largest accepted age (or clock skew) of the signature timestamp, in seconds (default 300). */
  toleranceSeconds?: number;
  /** Current time in ms, injectable for tests. */
  now?: number;
}

/**
 * Checks `PrivacyKit-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, t + "." + body)>`
 * against the raw body, in constant time, and that `t` is within the tolerance.
 * Several `v1=` values (secret rotation) are accepted.
 */
export function verifyWebhookSignature(
  secret: string,
  header: string | null | undefined,
  rawBody: string | Uint8Array,
  options: VerifyOptions = {},
): boolean {
  if (!header || !secret) return false;
  let t: string | undefined;
  const signatures: string[] = [];
  for (const part of header.split(',')) {
    const [k, v] = [part.slice(0, part.indexOf('=')).trim(), part.slice(part.indexOf('=') + 1).trim()];
    if (k === 't') t = v;
    else if (k === 'v1') signatures.push(v);
  }
  if (!t || !/^\d{1,12}$/.test(t) || signatures.length === 0) return false;
  const now = options.now ?? Date.now();
  if (Math.abs(Math.floor(now / 1000) - Number(t)) > (options.toleranceSeconds ?? 300)) return false;
  const body = typeof rawBody === 'string' ? Buffer.from(rawBody, 'utf8') : Buffer.from(rawBody);
  const expected = createHmac('sha256', secret).update(`${t}.`).update(body).digest();
  let ok = false;
  for (const signature of signatures) {
    if (!/^[0-9a-f]{64}$/i.test(signature)) continue;
    if (timingSafeEqual(expected, Buffer.from(signature, 'hex'))) ok = true;
  }
  return ok;
}

/** Signs a body as PrivacyKit does (for tests and local tooling). */
export function signWebhook(secret: string, rawBody: string, timestampSeconds = Math.floor(Date.now() / 1000)): string {
  const v1 = createHmac('sha256', secret).update(`${timestampSeconds}.${rawBody}`).digest('hex');
  return `t=${timestampSeconds},v1=${v1}`;
}

export interface WebhookHandlerOptions extends VerifyOptions {
  /** Signing secret(s) from `POST /v1/webhooks` (`whsec_…`); several while rotating. */
  secret: string | string[];
  /** Called after the signature checks out and the consent cache was updated. */
  onEvent?: (event: WebhookEvent) => void | Promise<void>;
  /** Largest accepted body in bytes (default 64 KiB). */
  maxBodyBytes?: number;
}

export interface WebhookResult {
  status: number;
  event?: WebhookEvent;
  error?: string;
}

/** Something whose consent cache a webhook updates (a PrivacyKit client). */
export interface CacheOwner {
  evictSubject(subject: string): void;
  clearCache(): void;
}

/**
 * Handles one delivery given its raw body and signature header: verifies it, evicts the subject's
 * cached consent decisions (every event type names a subject whose answers may have changed: a
 * withdrawal, an erasure, a hold placed or being lifted; an event without one clears the cache),
 * and calls `onEvent`. Answers the HTTP status to send (204, 400 or 401).
 */
export async function handleWebhook(
  owner: CacheOwner,
  options: WebhookHandlerOptions,
  rawBody: string | Uint8Array,
  signatureHeader: string | null | undefined,
): Promise<WebhookResult> {
  const secrets = Array.isArray(options.secret) ? options.secret : [options.secret];
  if (!secrets.some((s) => verifyWebhookSignature(s, signatureHeader, rawBody, options))) {
    return { status: 401, error: 'bad or stale signature' };
  }
  let event: WebhookEvent;
  try {
    event = JSON.parse(typeof rawBody === 'string' ? rawBody : Buffer.from(rawBody).toString('utf8')) as WebhookEvent;
  } catch {
    return { status: 400, error: 'body is not JSON' };
  }
  if (typeof event?.subject === 'string') owner.evictSubject(event.subject);
  else owner.clearCache();
  await options.onEvent?.(event);
  return { status: 204, event };
}

/**
 * A Node `(req, res)` handler for webhook deliveries; mount it on a raw route (no JSON body
 * parser before it), e.g. `app.post('/privacykit/webhooks', createWebhookHandler(client, {secret}))`.
 * Reads `req.rawBody` or a Buffer/string `req.body` when a framework already read it.
 */
export function createWebhookHandler(owner: CacheOwner, options: WebhookHandlerOptions) {
  const limit = options.maxBodyBytes ?? 64 * 1024;
  return async (req: IncomingMessage & { rawBody?: unknown; body?: unknown }, res: ServerResponse): Promise<void> => {
    let raw: Buffer;
    try {
      const pre = req.rawBody ?? req.body;
      if (typeof pre === 'string' || Buffer.isBuffer(pre)) raw = Buffer.from(pre as string);
      else raw = await readBody(req, limit);
    } catch {
      res.statusCode = 413;
      res.end();
      return;
    }
    const header = req.headers['privacykit-signature'];
    const result = await handleWebhook(owner, options, raw, Array.isArray(header) ? header[0] : header).catch(
      (): WebhookResult => ({ status: 500, error: 'handler failed' }),
    );
    res.statusCode = result.status;
    if (result.error) {
      res.setHeader('Content-Type', 'application/problem+json');
      res.end(JSON.stringify({ type: 'about:blank', title: 'Webhook refused', status: result.status, detail: result.error }));
    } else res.end();
  };
}

async function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new Error('body too large');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

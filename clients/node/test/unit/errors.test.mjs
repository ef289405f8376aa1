import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  PrivacyKit,
  PrivacyKitError,
  PrivacyKitDeniedError,
  PrivacyKitRateLimitError,
  PrivacyKitUnavailableError,
  parseRetryAfter,
  runWithContext,
  backoffDelay,
} from '../../dist/esm/index.js';
import { fakeFetch } from './helpers.mjs';

const pk = (fetch, extra = {}) => new PrivacyKit({ baseUrl: 'http://pk.test/', token: 't', fetch, retries: 0, ...extra });

test('a 400 problem becomes a PrivacyKitError with pointer and request id', async () => {
  const fetch = fakeFetch(() => ({
    status: 400,
    body: { type: 'https://privacykit.dev/problems/invalid-request', title: 'Invalid request', status: 400, detail: 'bad', pointer: '/subject', correlation_id: 'req-1' },
  }));
  const error = await pk(fetch).audit.append({ action: 'read' }).catch((e) => e);
  assert.ok(error instanceof PrivacyKitError);
  assert.equal(error.status, 400);
  assert.equal(error.type, 'https://privacykit.dev/problems/invalid-request');
  assert.equal(error.title, 'Invalid request');
  assert.equal(error.detail, 'bad');
  assert.equal(error.pointer, '/subject');
  assert.equal(error.requestId, 'req-1');
});

test('403, 429 and 503 map to their subclasses; Retry-After is read', async () => {
  const answers = {
    403: { status: 403, body: { title: 'Insufficient scope', status: 403, detail: 'no', correlation_id: 'c' } },
    429: { status: 429, body: { title: 'Too many', status: 429 }, headers: { 'retry-after': '7' } },
    503: { status: 503, body: 'not json', headers: { 'retry-after': '3', 'x-request-id': 'rid' } },
  };
  for (const [status, Type] of [[403, PrivacyKitDeniedError], [429, PrivacyKitRateLimitError], [503, PrivacyKitUnavailableError]]) {
    const error = await pk(fakeFetch(() => answers[status])).policy.purposes().catch((e) => e);
    assert.ok(error instanceof Type, `${status} → ${Type.name}`);
    assert.equal(error.status, status);
  }
  const limited = await pk(fakeFetch(() => answers[429])).policy.purposes().catch((e) => e);
  assert.equal(limited.retryAfter, 7);
  const down = await pk(fakeFetch(() => answers[503])).policy.purposes().catch((e) => e);
  assert.equal(down.retryAfter, 3);
  assert.equal(down.requestId, 'rid');
  assert.equal(parseRetryAfter(new Date(Date.now() + 10_000).toUTCString()) >= 9, true);
});

test('network errors and timeouts are PrivacyKitUnavailableError (status 0)', async () => {
  const refused = await pk(fakeFetch(() => new TypeError('fetch failed'))).policy.notices().catch((e) => e);
  assert.ok(refused instanceof PrivacyKitUnavailableError);
  assert.equal(refused.status, 0);
  assert.equal(refused.timeout, false);
  // a real socket would keep the event loop alive while waiting; this fake needs a timer for that
  const keepAlive = setTimeout(() => {}, 5000);
  const hang = (_url, init) =>
    new Promise((_, reject) => {
      if (init.signal.aborted) reject(init.signal.reason);
      init.signal.addEventListener('abort', () => reject(init.signal.reason));
    });
  const slow = await pk(hang, { timeoutMs: 30 }).policy.notices().catch((e) => e);
  assert.ok(slow instanceof PrivacyKitUnavailableError);
  assert.equal(slow.timeout, true);
  const controller = new AbortController();
  const aborted = pk(hang).policy.notices({ signal: controller.signal }).catch((e) => e);
  controller.abort(new Error('mine'));
  assert.equal((await aborted).message, 'mine', "the caller's own abort is passed through");
  clearTimeout(keepAlive);
});

test('an async token function is called per request; context headers are sent', async () => {
  let n = 0;
  const fetch = fakeFetch(() => ({ body: { purposes: [] } }));
  const client = pk(fetch, { token: async () => `tok-${++n}` });
  await client.policy.purposes();
  await runWithContext({ requestId: 'req-42', traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01', gpc: true }, () =>
    client.policy.purposes(),
  );
  assert.equal(fetch.calls[0].headers.Authorization, 'Bearer tok-1');
  assert.equal(fetch.calls[1].headers.Authorization, 'Bearer tok-2');
  assert.equal(fetch.calls[0].headers['X-Request-Id'], undefined);
  assert.equal(fetch.calls[1].headers['X-Request-Id'], 'req-42');
  assert.equal(fetch.calls[1].headers.traceparent, '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01');
  assert.equal(fetch.calls[1].headers['Sec-GPC'], '1');
  assert.equal(fetch.calls[1].url.href, 'http://pk.test/v1/purposes');
});

test('idempotent calls are retried on 503 honouring Retry-After; checks are not', async () => {
  const fetch = fakeFetch((_c, n) => (n === 1 ? { status: 503, body: {}, headers: { 'retry-after': '0' } } : { body: { purposes: [] } }));
  await pk(fetch, { retries: 2 }).policy.purposes();
  assert.equal(fetch.calls.length, 2);
  const checks = fakeFetch(() => ({ status: 503, body: {} }));
  await assert.rejects(pk(checks, { retries: 2 }).consents.check({ subject: 's', purposes: ['p'] }), PrivacyKitUnavailableError);
  assert.equal(checks.calls.length, 1);
});

test('backoff: exponential with jitter, capped, never below Retry-After', () => {
  const lo = () => 0;
  const hi = () => 0.999999;
  assert.equal(backoffDelay(0, { baseMs: 100, maxMs: 10_000, random: lo }), 50);
  assert.equal(backoffDelay(3, { baseMs: 100, maxMs: 10_000, random: lo }), 400);
  assert.equal(backoffDelay(3, { baseMs: 100, maxMs: 10_000, random: hi }), 800);
  assert.equal(backoffDelay(20, { baseMs: 100, maxMs: 1000, random: hi }), 1000);
  assert.equal(backoffDelay(0, { baseMs: 100, maxMs: 1000, random: lo, retryAfterSeconds: 4 }), 4000);
});

test('export streams NDJSON; audit query walks pages', async () => {
  const fetch = fakeFetch((c) => {
    if (c.url.pathname === '/v1/consents/export') return new Response('{"a":1}\n{"a":2}\n\n{"a":3}');
    const after = c.url.searchParams.get('after');
    if (after === null) return { body: { entries: [{ seq: 0 }, { seq: 1 }], next_after: 1 } };
    if (after === '1') return { body: { entries: [{ seq: 2 }], next_after: null } };
    return { body: { entries: [] } };
  });
  const client = pk(fetch);
  const rows = [];
  for await (const r of client.consents.export()) rows.push(r.a);
  assert.deepEqual(rows, [1, 2, 3]);
  const seqs = [];
  for await (const e of client.audit.query({ subject: 's', limit: 2 })) seqs.push(e.seq);
  assert.deepEqual(seqs, [0, 1, 2]);
  assert.equal(fetch.calls[1].url.searchParams.get('subject'), 's');
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AuditBatcher, AuditQueueFullError, PrivacyKitRateLimitError, PrivacyKitUnavailableError, PrivacyKitError } from '../../dist/esm/index.js';
import { deferred, waitFor } from './helpers.mjs';

const ev = (i) => ({ action: 'read', subject: `s${i}` });

test('flushes by size, one batch in flight, in order', async () => {
  const batches = [];
  let inflight = 0;
  let maxInflight = 0;
  const b = new AuditBatcher(
    async (events) => {
      inflight++;
      maxInflight = Math.max(maxInflight, inflight);
      await new Promise((r) => setTimeout(r, 5));
      batches.push(events.map((e) => e.subject));
      inflight--;
      return events.map((_, i) => i);
    },
    { maxBatch: 3, flushIntervalMs: 60_000 },
  );
  for (let i = 0; i < 7; i++) b.enqueue(ev(i));
  await waitFor(() => batches.length === 2);
  assert.deepEqual(batches, [['s0', 's1', 's2'], ['s3', 's4', 's5']]);
  const result = await b.close();
  assert.deepEqual(result, { sent: 7, dropped: 0, left: 0 });
  assert.equal(maxInflight, 1);
});

test('flushes by interval (timer unref-ed)', async () => {
  const sent = [];
  const b = new AuditBatcher(async (events) => (sent.push(...events), []), { maxBatch: 100, flushIntervalMs: 20 });
  b.enqueue(ev(1));
  await waitFor(() => sent.length === 1, 2000);
  await b.close();
});

test('overflow drop-newest / drop-oldest / reject count drops and emit an event', async () => {
  const gate = deferred();
  const mk = (overflow) => {
    const seen = [];
    const b = new AuditBatcher(async (events) => (await gate.promise, seen.push(...events.map((e) => e.subject)), []), {
      maxQueue: 3,
      maxBatch: 100,
      flushIntervalMs: 60_000,
      overflow,
    });
    const drops = [];
    b.on('dropped', (d) => drops.push(d));
    return { b, seen, drops };
  };
  const newest = mk('drop-newest');
  for (let i = 0; i < 5; i++) newest.b.enqueue(ev(i));
  assert.equal(newest.b.dropped, 2);
  assert.deepEqual(newest.drops.map((d) => d.reason), ['overflow', 'overflow']);

  const oldest = mk('drop-oldest');
  for (let i = 0; i < 5; i++) oldest.b.enqueue(ev(i));
  assert.equal(oldest.b.dropped, 2);

  const reject = mk('reject');
  for (let i = 0; i < 3; i++) reject.b.enqueue(ev(i));
  assert.throws(() => reject.b.enqueue(ev(3)), AuditQueueFullError);
  assert.equal(reject.b.dropped, 1);

  gate.resolve();
  assert.deepEqual(await newest.b.close(), { sent: 3, dropped: 2, left: 0 });
  assert.deepEqual(newest.seen, ['s0', 's1', 's2']);
  assert.deepEqual(await oldest.b.close(), { sent: 3, dropped: 2, left: 0 });
  assert.deepEqual(oldest.seen, ['s2', 's3', 's4']);
  assert.deepEqual(await reject.b.close(), { sent: 3, dropped: 1, left: 0 });
});

test('retries with jittered exponential backoff, honouring Retry-After, with the same idempotency keys', async () => {
  const delays = [];
  const keys = [];
  let n = 0;
  const b = new AuditBatcher(
    async (events) => {
      keys.push(events.map((e) => e.idempotency_key).join(','));
      n++;
      if (n === 1) throw new PrivacyKitUnavailableError({ status: 0, detail: 'refused' });
      if (n === 2) throw new PrivacyKitRateLimitError({ status: 429, retryAfter: 9 });
      if (n === 3) throw new PrivacyKitUnavailableError({ status: 503 });
      return events.map((_, i) => i);
    },
    { random: () => 0.5, backoffBaseMs: 100, backoffMaxMs: 60_000, flushIntervalMs: 60_000, sleep: async (ms) => void delays.push(ms) },
  );
  b.enqueue(ev(1));
  b.enqueue({ ...ev(2), idempotency_key: 'mine-2' });
  await b.flush();
  assert.deepEqual(delays, [75, 9000, 300]);
  assert.equal(new Set(keys).size, 1, 'every attempt carries the same keys');
  assert.match(keys[0], /^pk-[0-9a-f-]{36},mine-2$/);
  assert.deepEqual(await b.close(), { sent: 2, dropped: 0, left: 0 });
});

test('a rejected batch (400) is dropped and counted, not retried', async () => {
  let calls = 0;
  const b = new AuditBatcher(async () => {
    calls++;
    throw new PrivacyKitError({ status: 400, detail: 'bad', pointer: '/events/0/action' });
  }, { flushIntervalMs: 60_000 });
  const drops = [];
  b.on('dropped', (d) => drops.push(d));
  b.enqueue(ev(1));
  await b.flush();
  assert.equal(calls, 1);
  assert.equal(drops[0].reason, 'rejected');
  assert.deepEqual(await b.close(), { sent: 0, dropped: 1, left: 0 });
});

test('close({timeoutMs}) gives up after the timeout and reports what is left', async () => {
  const b = new AuditBatcher(
    async (_events, signal) =>
      new Promise((_, reject) => signal.addEventListener('abort', () => reject(new PrivacyKitUnavailableError({ status: 0 })))),
    { maxBatch: 2, flushIntervalMs: 60_000 },
  );
  for (let i = 0; i < 5; i++) b.enqueue(ev(i));
  const started = Date.now();
  const result = await b.close({ timeoutMs: 100 });
  assert.ok(Date.now() - started < 2000);
  assert.deepEqual(result, { sent: 0, dropped: 0, left: 5 });
  assert.throws(() => b.enqueue(ev(9)), AuditQueueFullError, 'closed');
});

test('idempotency keys can be turned off (older services)', async () => {
  const got = [];
  const b = new AuditBatcher(async (events) => (got.push(...events), []), { idempotencyKeys: false, flushIntervalMs: 60_000 });
  b.enqueue(ev(1));
  await b.close();
  assert.equal(got[0].idempotency_key, undefined);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PrivacyKit, PrivacyKitUnavailableError, DecisionCache, signWebhook, handleWebhook } from '../../dist/esm/index.js';
import { fakeFetch, checkAnswer, deferred } from './helpers.mjs';

function client(fetch, now, cache = {}) {
  return new PrivacyKit({ baseUrl: 'http://pk.test', token: 't', fetch, now, cache });
}

test('a cached decision is served within the TTL and reloaded after it', async () => {
  let t = 1_000;
  const fetch = fakeFetch((c) => checkAnswer(c.body.subject, c.body.purposes));
  const pk = client(fetch, () => t, { ttlMs: 2000 });
  await pk.consents.check({ subject: 's1', purposes: ['a', 'b'] });
  await pk.consents.check({ subject: 's1', purposes: ['b', 'a'] });
  assert.equal(fetch.calls.length, 1, 'same purposes in another order hit the cache');
  t += 1999;
  await pk.consents.check({ subject: 's1', purposes: ['a', 'b'] });
  assert.equal(fetch.calls.length, 1);
  t += 1;
  await pk.consents.check({ subject: 's1', purposes: ['a', 'b'] });
  assert.equal(fetch.calls.length, 2, 'expired at the TTL');
});

test('never answers from cache past the TTL when the service is down (fails closed)', async () => {
  let t = 0;
  let down = false;
  const fetch = fakeFetch((c) => (down ? new TypeError('fetch failed') : checkAnswer(c.body.subject, c.body.purposes)));
  const pk = client(fetch, () => t, { ttlMs: 1000 });
  assert.equal((await pk.consents.check({ subject: 's', purposes: ['p'] })).allowed, true);
  down = true;
  t = 999;
  assert.equal((await pk.consents.check({ subject: 's', purposes: ['p'] })).allowed, true, 'within TTL');
  t = 1000;
  await assert.rejects(pk.consents.check({ subject: 's', purposes: ['p'] }), PrivacyKitUnavailableError);
  assert.equal(await pk.consents.allowed('s', ['p']), false);
});

test('identical checks in flight share one request (single-flight); errors are not cached', async () => {
  const gate = deferred();
  let fail = true;
  const fetch = fakeFetch(async (c) => {
    await gate.promise;
    return fail ? { status: 503, body: { title: 'down', status: 503 } } : checkAnswer(c.body.subject, c.body.purposes);
  });
  const pk = new PrivacyKit({ baseUrl: 'http://pk.test', token: 't', fetch, retries: 0 });
  const all = Promise.allSettled([1, 2, 3, 4, 5].map(() => pk.consents.check({ subject: 's', purposes: ['p'] })));
  gate.resolve();
  const results = await all;
  assert.equal(fetch.calls.length, 1);
  assert.ok(results.every((r) => r.status === 'rejected'));
  fail = false;
  assert.equal((await pk.consents.check({ subject: 's', purposes: ['p'] })).allowed, true);
  assert.equal(fetch.calls.length, 2, 'the failure was not cached');
});

test('the LRU keeps at most maxEntries and drops the least recently used', async () => {
  let loads = 0;
  const cache = new DecisionCache({ ttlMs: 60_000, maxEntries: 3 });
  const load = (v) => async () => (loads++, v);
  for (const k of ['a', 'b', 'c']) await cache.get(k, k, load(k));
  await cache.get('a', 'a', load('a')); // a is now most recent
  await cache.get('d', 'd', load('d')); // evicts b
  assert.equal(cache.size, 3);
  loads = 0;
  await cache.get('a', 'a', load('a'));
  await cache.get('c', 'c', load('c'));
  await cache.get('d', 'd', load('d'));
  assert.equal(loads, 0);
  await cache.get('b', 'b', load('b'));
  assert.equal(loads, 1, 'b had been evicted');
});

test("the client's own consent changes evict the subject's decisions, even a check in flight", async () => {
  const gate = deferred();
  let allowed = true;
  const fetch = fakeFetch(async (c) => {
    if (c.url.pathname === '/v1/consents/check') {
      if (c.body.subject === 'slow') await gate.promise;
      return checkAnswer(c.body.subject, c.body.purposes, allowed);
    }
    return { status: 201, body: { event_id: 'e', state: 'WITHDRAWN' } };
  });
  const pk = client(fetch, undefined, { ttlMs: 60_000 });
  assert.equal((await pk.consents.check({ subject: 's', purposes: ['p'] })).allowed, true);
  allowed = false;
  await pk.consents.withdraw('s', 'p');
  const withdraw = fetch.calls.find((c) => c.url.pathname.endsWith('/withdraw'));
  assert.match(withdraw.body.idempotency_key, /^[0-9a-f-]{36}$/, 'an idempotency key is added');
  assert.equal((await pk.consents.check({ subject: 's', purposes: ['p'] })).allowed, false);

  allowed = true;
  const inflight = pk.consents.check({ subject: 'slow', purposes: ['p'] });
  await new Promise((r) => setImmediate(r));
  pk.evictSubject('slow');
  gate.resolve();
  await inflight;
  allowed = false;
  assert.equal((await pk.consents.check({ subject: 'slow', purposes: ['p'] })).allowed, false, 'the in-flight answer was not stored');
});

test('a signed consent.withdrawn webhook evicts the subject; a bad one does not', async () => {
  let allowed = true;
  const fetch = fakeFetch((c) => checkAnswer(c.body.subject, c.body.purposes, allowed));
  const pk = client(fetch, undefined, { ttlMs: 60_000 });
  await pk.consents.check({ subject: 'u1', purposes: ['p'] });
  allowed = false;
  const body = JSON.stringify({ type: 'consent.withdrawn', tenant: 'demo', subject: 'u1', purpose: 'p', reference: 'r', occurred_at: 'x' });
  const bad = await handleWebhook(pk, { secret: 'whsec_x' }, body, signWebhook('whsec_other', body));
  assert.equal(bad.status, 401);
  assert.equal((await pk.consents.check({ subject: 'u1', purposes: ['p'] })).allowed, true, 'still cached');
  const seen = [];
  const good = await handleWebhook(pk, { secret: 'whsec_x', onEvent: (e) => seen.push(e.type) }, body, signWebhook('whsec_x', body));
  assert.equal(good.status, 204);
  assert.deepEqual(seen, ['consent.withdrawn']);
  assert.equal((await pk.consents.check({ subject: 'u1', purposes: ['p'] })).allowed, false);
});

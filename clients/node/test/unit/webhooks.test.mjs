import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import http from 'node:http';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { verifyWebhookSignature, signWebhook, createWebhookHandler, handleWebhook, WEBHOOK_EVENT_TYPES } from '../../dist/esm/index.js';

const secret = 'whsec_test';
const body = '{"type":"subject.erased","tenant":"demo","subject":"u9","purpose":null,"reference":"x","occurred_at":"2026-12-01T00:00:00Z"}';

test('a good signature (as the Java service computes it) verifies', () => {
  const t = Math.floor(Date.now() / 1000);
  const v1 = createHmac('sha256', secret).update(`${t}.${body}`, 'utf8').digest('hex');
  assert.equal(verifyWebhookSignature(secret, `t=${t},v1=${v1}`, body), true);
  assert.equal(verifyWebhookSignature(secret, `t=${t},v1=${v1}`, Buffer.from(body)), true);
  assert.equal(verifyWebhookSignature(secret, `t=${t},v1=${'0'.repeat(64)},v1=${v1}`, body), true, 'rotation: any v1');
});

test('bad signatures, bodies, secrets and headers are refused', () => {
  const header = signWebhook(secret, body);
  assert.equal(verifyWebhookSignature('whsec_other', header, body), false);
  assert.equal(verifyWebhookSignature(secret, header, body + ' '), false);
  const flipped = header.replace(/v1=(.)/, (_, c) => `v1=${c === '0' ? '1' : '0'}`);
  assert.equal(verifyWebhookSignature(secret, flipped, body), false);
  assert.equal(verifyWebhookSignature(secret, header.replace(/v1=[0-9a-f]+/, 'v1=abc'), body), false, 'wrong length');
  for (const h of [undefined, null, '', 'garbage', 't=1', 'v1=00', 't=x,v1=00']) assert.equal(verifyWebhookSignature(secret, h, body), false);
});

test('stale or future timestamps are refused outside the tolerance', () => {
  const now = Date.now();
  const t = Math.floor(now / 1000);
  assert.equal(verifyWebhookSignature(secret, signWebhook(secret, body, t - 301), body, { now }), false);
  assert.equal(verifyWebhookSignature(secret, signWebhook(secret, body, t - 299), body, { now }), true);
  assert.equal(verifyWebhookSignature(secret, signWebhook(secret, body, t + 301), body, { now }), false);
  assert.equal(verifyWebhookSignature(secret, signWebhook(secret, body, t - 50), body, { now, toleranceSeconds: 30 }), false);
});

test('the Node handler answers 204 and evicts, 401 on a bad signature', async () => {
  const evicted = [];
  const handler = createWebhookHandler({ evictSubject: (s) => evicted.push(s), clearCache() {} }, { secret });
  const server = http.createServer(handler);
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${server.address().port}/`;
  try {
    const ok = await fetch(url, { method: 'POST', body, headers: { 'PrivacyKit-Signature': signWebhook(secret, body) } });
    assert.equal(ok.status, 204);
    const bad = await fetch(url, { method: 'POST', body, headers: { 'PrivacyKit-Signature': signWebhook('nope', body) } });
    assert.equal(bad.status, 401);
    assert.deepEqual(evicted, ['u9']);
  } finally {
    server.close();
  }
});

test('the event types are exactly those a recipient can register for in the OpenAPI document', () => {
  const spec = parse(readFileSync(new URL('../../../../server/src/main/resources/dev/privacykit/server/openapi.yaml', import.meta.url), 'utf8'));
  const events = spec.paths['/v1/webhooks'].post.requestBody.content['application/json'].schema.properties.events.items.enum;
  assert.deepEqual([...WEBHOOK_EVENT_TYPES], events);
});

test('every new event type evicts its subject (restriction.lifting, processing.objected, breach.notice, retention.*)', async () => {
  for (const type of ['processing.objected', 'restriction.lifting', 'retention.notice', 'retention.erase', 'retention.anonymise', 'breach.notice']) {
    const evicted = [];
    const payload = JSON.stringify({ type, tenant: 'demo', subject: `s-${type}`, purpose: null, reference: 'ref-1', occurred_at: '2026-12-01T00:00:00Z' });
    const seen = [];
    const result = await handleWebhook({ evictSubject: (s) => evicted.push(s), clearCache() {} }, { secret, onEvent: (e) => seen.push(e.type) }, payload, signWebhook(secret, payload));
    assert.equal(result.status, 204, type);
    assert.deepEqual(evicted, [`s-${type}`]);
    assert.deepEqual(seen, [type]);
  }
});

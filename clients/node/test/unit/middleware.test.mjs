// The Express adapter over the ./testing fake: allowed, denied, unavailable, overrides, context.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import express from 'express';
import { FakePrivacyKit } from '../../dist/esm/testing.js';
import { privacyKit } from '../../dist/esm/express.js';
import { currentContext, deniedProblem, isHoldReason, HOLD_REASONS } from '../../dist/esm/index.js';

async function serve(app, fn) {
  const server = await new Promise((r) => {
    const s = app.listen(0, '127.0.0.1', () => r(s));
  });
  try {
    return await fn(`http://127.0.0.1:${server.address().port}`);
  } finally {
    server.closeAllConnections();
    server.close();
  }
}

test('requireConsent: 200 with consent, 403 problem without, 503 + Retry-After when down; audited', async () => {
  const fake = new FakePrivacyKit();
  const pk = privacyKit(fake);
  const app = express();
  const subject = (req) => req.params.id;
  let seenContext;
  app.get('/u/:id', pk.auditAccess({ purpose: 'email_marketing', subject }), pk.requireConsent({ purposes: ['email_marketing'], subject }), (req, res) => {
    seenContext = currentContext();
    res.json({ ok: true });
  });
  await serve(app, async (url) => {
    const denied = await fetch(`${url}/u/1`);
    assert.equal(denied.status, 403);
    assert.equal(denied.headers.get('content-type'), 'application/problem+json');
    const problem = await denied.json();
    assert.deepEqual(problem.reasons, { email_marketing: 'no_consent' });
    assert.ok(problem.request_id);

    await fake.consents.give('1', 'email_marketing', { notice_version: 1 });
    const tp = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
    const ok = await fetch(`${url}/u/1`, { headers: { 'x-request-id': 'abc-1', traceparent: tp, 'sec-gpc': '0' } });
    assert.equal(ok.status, 200);
    assert.equal(ok.headers.get('x-request-id'), 'abc-1');
    assert.equal(seenContext.requestId, 'abc-1', 'the handler runs in the request context');
    assert.equal(seenContext.traceparent, tp);

    const gpc = await fetch(`${url}/u/1`, { headers: { 'sec-gpc': '1' } });
    assert.equal(gpc.status, 403, 'Sec-GPC: 1 reaches the check');

    fake.unavailable = true;
    const down = await fetch(`${url}/u/1`);
    assert.equal(down.status, 503);
    assert.equal(down.headers.get('retry-after'), '1');
  });
  assert.deepEqual(
    fake.audit.entries.map((e) => [e.outcome, e.subject]),
    [['denied', '1'], ['success', '1'], ['denied', '1'], ['failure', '1']],
  );
  assert.equal(fake.audit.entries[1].request_id, 'abc-1');
});

test('onDenied and onUnavailable override the answers; a request without subject is 400', async () => {
  const fake = new FakePrivacyKit();
  const pk = privacyKit(fake);
  const app = express();
  app.get(
    '/u{/:id}',
    pk.requireConsent({
      purposes: ['p'],
      subject: (req) => req.params.id,
      onDenied: () => ({ status: 451, headers: { 'Content-Type': 'text/plain' }, body: { custom: true } }),
      onUnavailable: () => ({ status: 502, headers: {}, body: { later: true } }),
    }),
    (req, res) => res.send('ok'),
  );
  await serve(app, async (url) => {
    assert.equal((await fetch(`${url}/u/1`)).status, 451);
    assert.equal((await fetch(`${url}/u`)).status, 400);
    fake.unavailable = true;
    assert.equal((await fetch(`${url}/u/1`)).status, 502);
  });
});

test('a restriction or objection that holds is a 403 processing-held problem naming each hold; still fail closed', async () => {
  const fake = new FakePrivacyKit({ lawfulWithoutConsent: ['fraud_prevention'] });
  const pk = privacyKit(fake);
  const app = express();
  const purposes = ['email_marketing', 'fraud_prevention', 'order_fulfilment'];
  app.get('/u/:id', pk.requireConsent({ purposes, subject: (req) => req.params.id }), (req, res) => res.json({ ok: true }));
  await fake.consents.give('1', 'email_marketing', { notice_version: 1 });
  fake.consents.hold('1', 'email_marketing', 'objection');
  fake.consents.hold('1', 'fraud_prevention', 'restriction');
  await serve(app, async (url) => {
    const held = await fetch(`${url}/u/1`);
    assert.equal(held.status, 403);
    const problem = await held.json();
    assert.equal(problem.type, 'https://privacykit.dev/problems/processing-held');
    assert.deepEqual(problem.reasons, { email_marketing: 'objection_upheld', fraud_prevention: 'processing_restricted', order_fulfilment: 'no_consent' });
    assert.deepEqual(problem.holds, { email_marketing: 'objection', fraud_prevention: 'restriction' });

    fake.consents.release('1', 'email_marketing');
    fake.consents.release('1', 'fraud_prevention');
    const consent = await (await fetch(`${url}/u/1`)).json();
    assert.equal(consent.type, 'https://privacykit.dev/problems/consent-required');
    assert.deepEqual(consent.reasons, { order_fulfilment: 'no_consent' });
    assert.equal('holds' in consent, false);

    fake.consents.hold('1', '*', 'restriction');
    fake.unavailable = true;
    assert.equal((await fetch(`${url}/u/1`)).status, 503, 'unreachable: 503, never allowed');
  });
});

test('deniedProblem and isHoldReason name the hold reasons', () => {
  assert.deepEqual(HOLD_REASONS, { processing_restricted: 'restriction', objection_upheld: 'objection' });
  assert.deepEqual(['processing_restricted', 'objection_upheld', 'no_consent', undefined, 'toString'].map(isHoldReason), [true, true, false, false, false]);
  const refusal = deniedProblem(
    { subject: 's', allowed: false, results: { a: { allowed: false, reason: 'processing_restricted', detail: '' }, b: { allowed: true, reason: 'consent_valid', detail: '' } } },
    { requestId: 'r-9' },
  );
  assert.equal(refusal.status, 403);
  assert.deepEqual(refusal.body.holds, { a: 'restriction' });
  assert.deepEqual(refusal.body.reasons, { a: 'processing_restricted' });
  assert.equal(refusal.body.request_id, 'r-9');
});

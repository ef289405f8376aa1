// Integration tests against the real service jar (PRIVACYKIT_JAR), run once per database by
// h2.test.mjs and postgres.test.mjs. One service per run; killed at the end (and on failure).
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { randomUUID } from 'node:crypto';
import { PrivacyKit, PrivacyKitDeniedError, PrivacyKitError, createWebhookHandler } from '@privacykit/node';
import { startService, supportsAuditIdempotency, eventually } from './service.mjs';
import { frameworks, PURPOSE } from './apps.mjs';

export function runSuite(DB) {
const TTL_MS = 1000;
let service;
let token;
let admin;
let idempotent;
const apps = {};
const clients = {};
const run = randomUUID().slice(0, 8);

before(async () => {
  service = await startService({ db: DB });
  token = await service.mint();
  admin = new PrivacyKit({ baseUrl: service.baseUrl, token, cache: { ttlMs: 0 } });
  idempotent = await supportsAuditIdempotency(service.baseUrl, token);
  if (!idempotent) console.log(`# NOTE: this service jar does not accept audit idempotency_key yet; middleware clients run without it`);
  for (const [name, make] of Object.entries(frameworks)) {
    clients[name] = new PrivacyKit({
      baseUrl: service.baseUrl,
      token: async () => token,
      cache: { ttlMs: TTL_MS },
      audit: { flushIntervalMs: 200, idempotencyKeys: idempotent },
    });
    apps[name] = await make(clients[name]);
  }
});

after(async () => {
  const bounded = (p) => Promise.race([p.catch(() => undefined), new Promise((r) => setTimeout(r, 10_000))]);
  for (const app of Object.values(apps)) await bounded(app.close());
  for (const client of Object.values(clients)) await bounded(client.close({ timeoutMs: 1000 }));
  await bounded(admin?.close({ timeoutMs: 1000 }) ?? Promise.resolve());
  await service?.stop();
});

describe(`service API (${DB})`, () => {
  test('consents: give, state, history, receipt, check, import, export', async () => {
    const subject = `api-${run}`;
    const given = await admin.consents.give(subject, PURPOSE, { notice_version: 2, language: 'en' });
    assert.equal(given.state, 'GIVEN');
    assert.equal((await admin.consents.state(subject, PURPOSE)).state, 'GIVEN');
    assert.equal((await admin.consents.history(subject, PURPOSE)).events.length, 1);
    assert.match((await admin.consents.receipt(subject, PURPOSE)).receipt, /^[\w-]+\.[\w-]+\.[\w-]+$/);
    const check = await admin.consents.check({ subject, purposes: [PURPOSE, 'targeted_advertising'] });
    assert.equal(check.allowed, false);
    assert.equal(check.results[PURPOSE].allowed, true);
    assert.equal(check.results.targeted_advertising.reason, 'no_consent');
    const exported = [];
    for await (const row of admin.consents.export()) if (row.subject === subject) exported.push(row);
    assert.equal(exported.length, 1);
    const imported = await admin.consents.import(exported);
    assert.equal(imported.imported + imported.duplicates, 1);
    await admin.consents.withdraw(subject, PURPOSE);
    assert.equal((await admin.consents.state(subject, PURPOSE)).state, 'WITHDRAWN');
    assert.ok((await admin.policy.purposes()).purposes.some((p) => p.id === PURPOSE));
    assert.ok((await admin.policy.notices()).notices.length > 0);
  });

  test('a 404 and a 400 are typed problems with pointer and request id', async () => {
    const missing = await admin.consents.state(`nobody-${run}`, PURPOSE).catch((e) => e);
    assert.ok(missing instanceof PrivacyKitError);
    assert.equal(missing.status, 404);
    assert.ok(missing.requestId);
    const bad = await admin.consents.give(`s-${run}`, PURPOSE, { notice_version: 0 }).catch((e) => e);
    assert.equal(bad.status, 400);
    assert.equal(bad.pointer, '/notice_version');
    const readOnly = new PrivacyKit({ baseUrl: service.baseUrl, token: await service.mint({ scopes: ['audit:read'] }) });
    await assert.rejects(readOnly.consents.check({ subject: 'x', purposes: [PURPOSE] }), PrivacyKitDeniedError);
  });

  test('requests, crypto (single and batch with per-item results), webhooks, audit reads', async () => {
    const request = await admin.requests.create({ subject: `dsr-${run}`, type: 'access' });
    assert.equal((await admin.requests.get(request.id)).id, request.id);
    assert.ok((await admin.requests.list(365)).requests.some((r) => r.id === request.id));
    const ctx = { table: 'users', column: 'email', row_id: '42' };
    const enc = await admin.crypto.encrypt({ ...ctx, plaintext: 'a@example.com' });
    assert.equal(enc.ok, true);
    assert.equal((await admin.crypto.decrypt({ ...ctx, ciphertext: enc.ciphertext, subject: 'u', purpose: 'order_fulfilment' })).plaintext, 'a@example.com');
    const batch = await admin.crypto.decryptBatch([
      { ...ctx, ciphertext: enc.ciphertext, subject: 'u', purpose: 'order_fulfilment' },
      { ...ctx, ciphertext: 'garbage', subject: 'u', purpose: 'order_fulfilment' },
    ]);
    assert.deepEqual(batch.results.map((r) => r.ok), [true, false]);
    assert.ok(batch.results[1].error.type);
    const hook = await admin.webhooks.register('https://hooks.example.com/privacykit', ['consent.withdrawn']).catch((e) => e);
    assert.ok(hook.secret?.startsWith('whsec_') || hook instanceof PrivacyKitError);
    const { seq } = await admin.audit.append({ action: 'read', subject: `audit-${run}` });
    const proof = await admin.audit.inclusionProof(seq).catch((e) => e);
    assert.ok(proof.seq === seq || proof instanceof PrivacyKitError);
    assert.ok((await admin.audit.checkpoint()).size >= 1);
    const entries = [];
    for await (const e of admin.audit.query({ subject: `audit-${run}`, limit: 1 })) entries.push(e);
    assert.equal(entries.length, 1);
    assert.equal((await admin.audit.verify()).ok, true);
  });

  test('audit.shards() on one tree: count 1, its checkpoint as shard 0, top null; a proof has no top-level half', async () => {
    const { seq } = await admin.audit.append({ action: 'read', subject: `one-tree-${run}` });
    const shards = await admin.audit.shards();
    assert.deepEqual([shards.count, shards.tenant_shard, shards.top], [1, 0, null]);
    assert.deepEqual(shards.shards.map((s) => s.id), [0]);
    const checkpoint = await admin.audit.checkpoint();
    assert.equal(shards.shards[0].checkpoint.origin, checkpoint.origin);
    assert.doesNotMatch(checkpoint.origin, /\/(shard\/\d+|top)$/);
    const proof = await admin.audit.inclusionProof(seq);
    assert.equal(proof.seq, seq);
    assert.deepEqual([proof.shard, proof.top], [undefined, undefined]);
  });
});

describe(`keep-alive after errors (${DB})`, () => {
  test('a keep-alive agent is never reset after an error answer: the server says Connection: close when it closes', async () => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const url = new URL(service.baseUrl);
    const send = (method, path, body, type) =>
      new Promise((resolve) => {
        const req = http.request(
          { host: url.hostname, port: url.port, method, path, agent, headers: { Authorization: `Bearer ${token}`, ...(type ? { 'Content-Type': type } : {}) } },
          (res) => {
            res.resume();
            res.on('end', () => resolve({ status: res.statusCode, connection: res.headers.connection, type: res.headers['content-type'] }));
          },
        );
        req.on('error', (e) => resolve({ error: e.code }));
        if (body) req.write(body);
        req.end();
      });
    try {
      const cases = [
        ['POST', '/v1/audit/events', Buffer.alloc(9_000_000, 97), 'application/json', 413],
        ['POST', '/v1/audit/events', Buffer.from('x'.repeat(100_000)), 'text/plain', 415],
        ['POST', '/v1/audit/events', Buffer.from('{bad json'), 'application/json', 400],
        ['GET', '/v1/audit/events?subject=%zz', null, null, 400],
      ];
      for (let round = 0; round < 2; round++) {
        for (const [method, path, body, type, status] of cases) {
          const answer = await send(method, path, body, type);
          assert.equal(answer.error, undefined, `${method} ${path}: ${answer.error}`);
          assert.equal(answer.status, status, `${method} ${path}`);
          assert.match(answer.type, /application\/problem\+json/);
          if (status === 413) assert.equal(answer.connection, 'close', 'an unread body closes the connection, and says so');
          const next = await send('GET', '/health/live');
          assert.equal(next.error, undefined, `after ${method} ${path}: ${next.error}`);
          assert.equal(next.status, 200);
        }
      }
    } finally {
      agent.destroy();
    }
  });
});

describe(`webhooks and /v1/me (${DB})`, () => {
  test("a real consent.withdrawn delivery verifies and evicts the subject from a client's cache", async () => {
    const subject = `hook-${run}`;
    const client = new PrivacyKit({ baseUrl: service.baseUrl, token, cache: { ttlMs: 600_000 } });
    const events = [];
    let secret = 'unset';
    const receiver = http.createServer((req, res) => createWebhookHandler(client, { secret, onEvent: (e) => events.push(e) })(req, res));
    await new Promise((r) => receiver.listen(0, '127.0.0.1', r));
    try {
      const hook = await admin.webhooks.register(`http://127.0.0.1:${receiver.address().port}/privacykit`, ['consent.withdrawn', 'subject.erased']);
      secret = hook.secret;
      await admin.consents.give(subject, PURPOSE, { notice_version: 2 });
      assert.equal((await client.consents.check({ subject, purposes: [PURPOSE] })).allowed, true);
      await admin.consents.withdraw(subject, PURPOSE);
      assert.equal((await client.consents.check({ subject, purposes: [PURPOSE] })).allowed, true, 'cached (TTL 10 min)');
      await eventually(() => events.some((e) => e.type === 'consent.withdrawn' && e.subject === subject), { timeoutMs: 30_000, intervalMs: 100 });
      assert.equal((await client.consents.check({ subject, purposes: [PURPOSE] })).allowed, false, 'evicted by the webhook');
      // the service records the delivery once the receiver has answered, which can be after onEvent ran
      await eventually(async () => {
        const { deliveries } = await admin.webhooks.deliveries();
        return deliveries.some((d) => d.recipient_id === hook.id && /deliver/i.test(d.status));
      }, { timeoutMs: 10_000, intervalMs: 100 });
      await admin.webhooks.remove(hook.id);
      await assert.rejects(admin.webhooks.remove(hook.id), (e) => e.status === 404);
    } finally {
      receiver.closeAllConnections();
      receiver.close();
    }
  });

  test('a data principal reads and changes its own consents', async () => {
    const subject = `me-${run}`;
    const me = new PrivacyKit({ baseUrl: service.baseUrl, token: await service.mint({ scopes: ['consents:self'], subject }) });
    const given = await me.me.change(PURPOSE, 'give', { notice_version: 2 });
    assert.equal(given.subject, subject);
    assert.equal((await me.me.consents()).consents.find((c) => c.purpose === PURPOSE).state, 'GIVEN');
    assert.equal((await admin.consents.state(subject, PURPOSE)).state, 'GIVEN');
  });

  test('a child: only her verified parent consents, with her own token; she is never targeted; a stranger is refused', async () => {
    const kid = `kid-${run}`;
    const mumName = `mum-${run}`;
    const selfToken = async (subject) =>
      new PrivacyKit({ baseUrl: service.baseUrl, token: await service.mint({ scopes: ['consents:self'], subject }), cache: { ttlMs: 0 } });
    const [child, mum, stranger] = [await selfToken(kid), await selfToken(mumName), await selfToken(`stranger-${run}`)];
    const bornOn = new Date(Date.now() - 10 * 365.25 * 86_400_000).toISOString().slice(0, 10);
    const marked = await admin.guardians.mark(kid, { kind: 'child', source: 'declared_by_principal', born_on: bornOn });
    assert.equal(marked.kind, 'child');
    await assert.rejects(child.me.change(PURPOSE, 'give', { notice_version: 2 }), (e) => e.status === 403, 'a child does not consent herself');
    await admin.guardians.link(kid, { guardian: mumName, relation: 'parent', verification: { method: 'virtual_token', reference: 'dl-1', issuer: 'digilocker' } });
    assert.deepEqual((await mum.me.wards.list()).wards.map((w) => w.ward), [kid]);
    const given = await mum.me.wards.change(kid, PURPOSE, 'give', { notice_version: 2 });
    assert.deepEqual([given.acting_party, given.guardian], ['guardian', mumName]);
    const check = await admin.consents.check({ subject: kid, purposes: [PURPOSE, 'targeted_advertising'] });
    assert.equal(check.results[PURPOSE].reason, 'consent_valid');
    assert.equal(check.results.targeted_advertising.reason, 'child_tracking_or_advertising');
    await assert.rejects(stranger.me.wards.consents(kid), (e) => e instanceof PrivacyKitError && e.status === 403);
    await assert.rejects(stranger.me.wards.change(kid, PURPOSE, 'withdraw'), (e) => e.status === 403);
    assert.equal((await admin.guardians.get(kid)).guardians.length, 1);
  });
});

describe(`data-subject requests: /v1/me/requests, holds, incidents (${DB})`, () => {
  const principal = async (subject, scopes = ['requests:self']) =>
    new PrivacyKit({ baseUrl: service.baseUrl, token: await service.mint({ scopes, subject }), cache: { ttlMs: 0 } });

  test('a principal files, reads and withdraws its own request; another principal and another tenant get 404', async () => {
    const subject = `self-${run}`;
    const me = await principal(subject);
    const other = await principal(`other-${run}`);
    const filed = await me.me.requests.file({ type: 'access' });
    assert.deepEqual([filed.subject, filed.type, filed.status, filed.filed_by], [subject, 'access', 'open', 'subject']);
    const seen = await admin.requests.get(filed.id);
    assert.deepEqual([seen.subject, seen.filed_by], [subject, 'subject'], "the fiduciary's queue has it, filed by the subject");
    const mine = await me.me.requests.list();
    assert.deepEqual(mine.requests.map((r) => r.id), [filed.id]);
    assert.deepEqual(mine.holds, []);
    await assert.rejects(me.me.requests.package(filed.id), (e) => e.status === 409, 'no package before it is fulfilled');

    for (const call of [() => other.me.requests.get(filed.id), () => other.me.requests.withdraw(filed.id), () => other.me.requests.package(filed.id)]) {
      await assert.rejects(call(), (e) => e instanceof PrivacyKitError && e.status === 404);
    }
    assert.deepEqual((await other.me.requests.list()).requests, []);
    const elsewhere = new PrivacyKit({ baseUrl: service.baseUrl, token: await service.mint({ tenant: `other-${run}`, scopes: ['requests:self'], subject }) });
    await assert.rejects(elsewhere.me.requests.get(filed.id), (e) => e.status === 404, 'the same subject in another tenant');
    const otherAdmin = new PrivacyKit({ baseUrl: service.baseUrl, token: await service.mint({ tenant: `other-${run}` }) });
    await assert.rejects(otherAdmin.requests.get(filed.id), (e) => e.status === 404);
    await assert.rejects(admin.me.requests.list(), (e) => e instanceof PrivacyKitDeniedError, 'the admin scope does not grant requests:self');
    const consentsOnly = await principal(subject, ['consents:self']);
    await assert.rejects(consentsOnly.me.requests.list(), (e) => e.status === 403);

    const withdrawn = await me.me.requests.withdraw(filed.id);
    assert.equal(withdrawn.status, 'withdrawn');
    await assert.rejects(me.me.requests.withdraw(filed.id), (e) => e.status === 409, 'already closed');
    const read = await me.me.requests.get(filed.id);
    assert.equal(read.status, 'withdrawn');
    assert.ok(read.history.some((h) => /withdrawn/i.test(`${h.status} ${h.note}`)), JSON.stringify(read.history));
    assert.equal((await admin.requests.list(3650)).requests.some((r) => r.id === filed.id), false, 'gone from the open queue');
  });

  test('an objection and a restriction change the check answer and the middleware says so; withdrawing and lifting', async () => {
    const subject = `hold-${run}`;
    const me = await principal(subject);
    const fiduciary = new PrivacyKit({ baseUrl: service.baseUrl, token, cache: { ttlMs: 600_000 } });
    await admin.consents.give(subject, PURPOSE, { notice_version: 2 });
    const check = (purpose) => admin.consents.check({ subject, purposes: [purpose] }).then((r) => r.results[purpose]);
    assert.deepEqual(await check(PURPOSE).then((d) => [d.allowed, d.reason]), [true, 'consent_valid']);

    // An objection to a direct-marketing purpose holds from the moment it is filed (GDPR Art. 21(3)).
    const objection = await me.me.requests.file({ type: 'objection', purposes: [PURPOSE] });
    assert.deepEqual(objection.purposes, [PURPOSE]);
    assert.deepEqual(await check(PURPOSE).then((d) => [d.allowed, d.reason]), [false, 'objection_upheld']);
    const { holds } = await me.me.requests.list();
    assert.deepEqual(holds.map((h) => [h.request_id, h.purpose, h.kind]), [[objection.id, PURPOSE, 'objection']]);
    assert.equal((await admin.consents.state(subject, PURPOSE)).hold?.kind, 'objection');
    const denied = await fetch(`${apps.express.url}/${subject}/newsletter`);
    assert.equal(denied.status, 403);
    const problem = await denied.json();
    assert.equal(problem.type, 'https://privacykit.dev/problems/processing-held');
    assert.deepEqual([problem.reasons, problem.holds], [{ [PURPOSE]: 'objection_upheld' }, { [PURPOSE]: 'objection' }]);

    await me.me.requests.withdraw(objection.id);
    assert.deepEqual(await check(PURPOSE).then((d) => [d.allowed, d.reason]), [true, 'consent_valid'], 'the objection withdrawn: no hold');

    // A restriction of a legitimate-interests purpose holds once fulfilled, and after a lift until the notice period ends.
    const LI = 'fraud_prevention';
    assert.deepEqual(await fiduciary.consents.check({ subject, purposes: [LI] }).then((r) => r.results[LI].reason), 'lawful_basis');
    const restriction = await fiduciary.requests.create({ subject, type: 'restriction', purposes: [LI], identity_verified: true });
    assert.deepEqual([restriction.filed_by, restriction.purposes], ['fiduciary', [LI]]);
    assert.equal((await check(LI)).reason, 'lawful_basis', 'not before it is fulfilled');
    await fiduciary.consents.check({ subject, purposes: [LI] }); // cached for 10 minutes in this client
    const fulfilled = await fiduciary.requests.step(restriction.id, 'fulfil', { note: 'accuracy contested' });
    assert.equal(fulfilled.status, 'fulfilled');
    const after = await fiduciary.consents.check({ subject, purposes: [LI] });
    assert.deepEqual([after.allowed, after.results[LI].reason], [false, 'processing_restricted'], "the step evicted this client's cached allow");
    const lifted = await fiduciary.requests.lift(restriction.id, 'accuracy verified');
    assert.equal(lifted.status, 'fulfilled');
    assert.equal((await check(LI)).reason, 'processing_restricted', 'still holds during the notice period (Art. 18(3))');
    const lifting = (await me.me.requests.list()).holds.find((h) => h.request_id === restriction.id);
    assert.equal(lifting.kind, 'restriction');
    assert.ok(Date.parse(lifting.lifts_at) > Date.now(), `lifts_at ${lifting.lifts_at} in the future`);
    await assert.rejects(fiduciary.requests.lift(restriction.id, 'again'), (e) => e.status === 409, 'nothing left to lift');
    await assert.rejects(fiduciary.requests.lift(objection.id, 'x'), (e) => e.status === 409, 'a withdrawn objection is no restriction');
    await fiduciary.close({ timeoutMs: 1000 });
  });

  test('incidents: record, list, step, report drafts in JSON and HTML; another tenant sees none', async () => {
    const detected = new Date(Date.now() - 3600_000).toISOString();
    const incident = await admin.incidents.create({ nature: `laptop <b>lost</b> ${run}`, detected_at: detected, regime: 'GDPR', categories: ['user.contact.email'] });
    assert.deepEqual([incident.status, incident.regime, incident.source], ['OPEN', 'GDPR', 'manual']);
    assert.equal(Date.parse(incident.clocks.authority_due_at) - Date.parse(detected), 72 * 3600_000);
    assert.ok((await admin.incidents.list()).incidents.some((i) => i.id === incident.id));
    const notified = await admin.incidents.step(incident.id, 'notify-authority', { reference: `SA-${run}` });
    assert.equal(notified.clocks.authority_reference, `SA-${run}`);
    assert.equal((await admin.incidents.get(incident.id)).clocks.authority_notified_at !== null, true);
    const draft = await admin.incidents.report(incident.id);
    assert.equal(draft.incident_id, incident.id);
    assert.ok(draft.sections.length > 0);
    const html = await admin.incidents.report(incident.id, 'html');
    assert.match(html, /^<!DOCTYPE html>/);
    assert.ok(html.includes('laptop &lt;b&gt;lost&lt;/b&gt;') && !html.includes('<b>lost</b>'), 'values encoded');
    assert.deepEqual((await admin.incidents.notices(incident.id)).notices, []);
    const otherAdmin = new PrivacyKit({ baseUrl: service.baseUrl, token: await service.mint({ tenant: `inc-${run}` }) });
    assert.deepEqual((await otherAdmin.incidents.list()).incidents, []);
    await assert.rejects(otherAdmin.incidents.get(incident.id), (e) => e.status === 404);
    await assert.rejects(otherAdmin.incidents.report(incident.id, 'html'), (e) => e.status === 404);
  });

  test('retention: a dry run writes nothing, seen() records a login, the report is per tenant, the scope is needed', async () => {
    await admin.retention.seen(`login-${run}`);
    const dry = await admin.retention.run({ dryRun: true });
    assert.equal(dry.dry_run, true);
    assert.ok(dry.actions.every((a) => a.status === 'planned' && a.id === null));
    const before = (await admin.retention.actions()).actions.length;
    await admin.retention.run({ dryRun: true });
    assert.equal((await admin.retention.actions()).actions.length, before, 'a dry run records nothing');
    const run2 = await admin.retention.run();
    assert.equal(run2.dry_run, false);
    assert.ok(run2.actions.every((a) => a.subject !== `login-${run}`), 'who just came is not due');
    const writer = new PrivacyKit({ baseUrl: service.baseUrl, token: await service.mint({ scopes: ['consents:write'] }) });
    await writer.retention.seen(`login-${run}`);
    await assert.rejects(writer.retention.run({ dryRun: true }), (e) => e.status === 403, 'retention:manage is needed');
    const otherAdmin = new PrivacyKit({ baseUrl: service.baseUrl, token: await service.mint({ tenant: `ret-${run}` }) });
    assert.deepEqual((await otherAdmin.retention.actions()).actions, []);
    await assert.rejects(admin.retention.actions({ from: '2026-02-01T00:00:00Z', to: '2026-01-01T00:00:00Z' }), (e) => e.status === 400);
  });
});

describe(`middleware (${DB})`, () => {
  for (const name of Object.keys(frameworks)) {
    test(`${name}: 200 after give, 403 after withdraw (within the TTL), audited with the request id`, async () => {
      const subject = `${name}-${run}`;
      const url = `${apps[name].url}/${subject}/newsletter`;
      const none = await fetch(url);
      assert.equal(none.status, 403);
      assert.match(none.headers.get('content-type'), /application\/problem\+json/);
      assert.equal((await none.json()).reasons[PURPOSE], 'no_consent');

      await admin.consents.give(subject, PURPOSE, { notice_version: 2 });
      clients[name].evictSubject(subject); // the 403 above is cached for the TTL; a webhook would do this
      const requestId = `it-${name}-${run}`;
      const ok = await fetch(url, { headers: { 'X-Request-Id': requestId } });
      assert.equal(ok.status, 200, await ok.clone().text());
      assert.equal((await ok.json()).framework, name);
      assert.equal(ok.headers.get('x-request-id'), requestId);

      // withdrawn through another client: this app's cache may answer until its TTL, not after
      await admin.consents.withdraw(subject, PURPOSE);
      const withdrawnAt = Date.now();
      await eventually(async () => (await fetch(url)).status === 403, { timeoutMs: TTL_MS + 3000, intervalMs: 50 });
      assert.ok(Date.now() - withdrawnAt <= TTL_MS + 1500, `403 within the TTL bound (${Date.now() - withdrawnAt} ms)`);

      // and withdrawn through this client: evicted at once
      await clients[name].consents.give(subject, PURPOSE, { notice_version: 2 });
      assert.equal((await fetch(url)).status, 200);
      await clients[name].consents.withdraw(subject, PURPOSE);
      assert.equal((await fetch(url)).status, 403);

      await clients[name].audit.flush();
      const report = await eventually(async () => {
        const r = await admin.audit.subjectReport(subject);
        return r.entries.some((e) => e.request_id === requestId && e.actor === 'node-it') && r;
      });
      const entry = report.entries.find((e) => e.request_id === requestId && e.actor === 'node-it');
      assert.equal(String(entry.outcome).toLowerCase(), 'success');
      assert.equal(String(entry.purpose), PURPOSE);
      assert.ok(report.entries.some((e) => String(e.outcome).toLowerCase() === 'denied'), 'refusals are audited too');
    });
  }
});

/** A local HTTP proxy that forwards everything and, once, drops the answer to a matching request. */
async function droppingProxy(target, matches) {
  let armed = true;
  let dropped = 0;
  const server = http.createServer((req, res) => {
    const upstream = http.request(target + req.url, { method: req.method, headers: req.headers }, (answer) => {
      const chunks = [];
      answer.on('data', (c) => chunks.push(c));
      answer.on('end', () => {
        if (armed && matches(req)) {
          armed = false;
          dropped++;
          req.socket.destroy(); // the service committed; the client never hears it
          return;
        }
        res.writeHead(answer.statusCode, answer.headers);
        res.end(Buffer.concat(chunks));
      });
    });
    upstream.on('error', () => req.socket.destroy());
    req.pipe(upstream);
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    get dropped() {
      return dropped;
    },
    close: () => new Promise((r) => (server.closeAllConnections(), server.close(r))),
  };
}

async function countEntries(subject) {
  let n = 0;
  for await (const _ of admin.audit.query({ subject, limit: 1000 })) n++;
  return n;
}

describe(`audit batcher (${DB})`, () => {
  test('close() loses nothing', async () => {
    const subject = `batch-${run}`;
    const client = new PrivacyKit({ baseUrl: service.baseUrl, token, audit: { maxBatch: 50, flushIntervalMs: 60_000, idempotencyKeys: idempotent } });
    for (let i = 0; i < 600; i++) client.audit.record({ action: 'read', subject, purpose: PURPOSE, request_id: `b-${i}` });
    const result = await client.close({ timeoutMs: 60_000 });
    assert.deepEqual(result, { sent: 600, dropped: 0, left: 0 });
    assert.equal(await countEntries(subject), 600);
  });

  test('a lost response is retried without duplicating entries (needs audit idempotency_key in the service)', async () => {
    const subject = `dedup-${run}`;
    const proxy = await droppingProxy(service.baseUrl, (req) => req.url === '/v1/audit/events/batch');
    try {
      const client = new PrivacyKit({ baseUrl: proxy.url, token, audit: { maxBatch: 20, flushIntervalMs: 60_000, backoffBaseMs: 50 } });
      const drops = [];
      client.batcher.on('dropped', (d) => drops.push(d));
      for (let i = 0; i < 40; i++) client.audit.record({ action: 'read', subject, request_id: `d-${i}` });
      const result = await client.close({ timeoutMs: 30_000 });
      assert.equal(proxy.dropped, 1, 'one response was dropped');
      assert.deepEqual(drops.map((d) => d.error?.message ?? d.reason), [], 'nothing was refused');
      assert.deepEqual(result, { sent: 40, dropped: 0, left: 0 });
      assert.equal(await countEntries(subject), 40, 'every event exactly once');
    } finally {
      await proxy.close();
    }
  });
});

describe(`service down (${DB})`, () => {
  test('every framework answers 503 with Retry-After when the service is killed', async () => {
    const subject = `down-${run}`;
    await admin.consents.give(subject, PURPOSE, { notice_version: 2 });
    for (const name of Object.keys(frameworks)) assert.equal((await fetch(`${apps[name].url}/${subject}/newsletter`)).status, 200);
    await service.kill();
    const killedAt = Date.now();
    for (const name of Object.keys(frameworks)) {
      // a cached allow may answer until the TTL, never after
      const res = await eventually(async () => {
        const r = await fetch(`${apps[name].url}/${subject}/newsletter`);
        return r.status === 503 && r;
      }, { timeoutMs: TTL_MS + 5000 });
      assert.ok(Number(res.headers.get('retry-after')) > 0, `${name} Retry-After`);
      assert.match(res.headers.get('content-type'), /problem\+json/);
    }
    assert.ok(Date.now() - killedAt < TTL_MS + 8000);
  });
});
}

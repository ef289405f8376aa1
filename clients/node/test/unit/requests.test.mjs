// The request and incident APIs against an injected fetch: paths, methods, bodies, Accept headers,
// and the consent cache evicted by the calls that can place or end a hold.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PrivacyKit } from '../../dist/esm/index.js';
import { fakeFetch, checkAnswer } from './helpers.mjs';

const request = (over = {}) => ({
  id: 'r-1',
  subject: 'u-1',
  type: 'restriction',
  regime: 'GDPR',
  status: 'fulfilled',
  received_at: '2026-01-01T00:00:00Z',
  due_at: '2026-02-01T00:00:00Z',
  overdue: false,
  purposes: ['email_marketing'],
  filed_by: 'subject',
  ...over,
});

function recorder(extra = () => undefined) {
  return fakeFetch((c) => {
    if (c.url.pathname === '/v1/consents/check') return checkAnswer(c.body.subject, c.body.purposes);
    return extra(c) ?? { status: c.init.method === 'POST' ? 201 : 200, body: request() };
  });
}
const pk = (fetch) => new PrivacyKit({ baseUrl: 'http://pk.test', token: 't', fetch, retries: 0, cache: { ttlMs: 60_000 } });
const line = (c) => `${c.init.method} ${c.url.pathname}${c.url.search}`;

test('me.requests: file, list, get, withdraw and package call /v1/me/requests with the principal token', async () => {
  const fetch = recorder((c) => (c.url.pathname === '/v1/me/requests' && c.init.method === 'GET' ? { body: { requests: [request()], holds: [] } } : undefined));
  const client = pk(fetch);
  const filed = await client.me.requests.file({ type: 'objection', purposes: ['email_marketing'] });
  assert.equal(filed.filed_by, 'subject');
  assert.deepEqual((await client.me.requests.list()).holds, []);
  await client.me.requests.get('r/1');
  await client.me.requests.withdraw('r-1');
  await client.me.requests.package('r-1', 'csv');
  assert.deepEqual(fetch.calls.map(line), [
    'POST /v1/me/requests',
    'GET /v1/me/requests',
    'GET /v1/me/requests/r%2F1',
    'POST /v1/me/requests/r-1/withdraw',
    'GET /v1/me/requests/r-1/package?format=csv',
  ]);
  assert.deepEqual(fetch.calls[0].body, { type: 'objection', purposes: ['email_marketing'] });
  assert.deepEqual(fetch.calls[3].body, {});
  assert.equal(fetch.calls[4].headers.Accept, 'text/csv');
  assert.equal(fetch.calls[0].headers.Authorization, 'Bearer t');
});

test('fiduciary steps lift and withdraw send their fields; hold-changing steps evict the subject', async () => {
  const fetch = recorder();
  const client = pk(fetch);
  await client.consents.check({ subject: 'u-1', purposes: ['email_marketing'] });
  await client.consents.check({ subject: 'u-1', purposes: ['email_marketing'] });
  assert.equal(fetch.calls.filter((c) => c.url.pathname === '/v1/consents/check').length, 1, 'cached');
  await client.requests.lift('r-1', 'the accuracy was checked');
  assert.deepEqual([line(fetch.calls.at(-1)), fetch.calls.at(-1).body], ['POST /v1/requests/r-1/lift', { reason: 'the accuracy was checked' }]);
  await client.consents.check({ subject: 'u-1', purposes: ['email_marketing'] });
  assert.equal(fetch.calls.filter((c) => c.url.pathname === '/v1/consents/check').length, 2, 'lift evicted u-1');
  await client.requests.withdraw('r-1');
  assert.deepEqual([line(fetch.calls.at(-1)), fetch.calls.at(-1).body], ['POST /v1/requests/r-1/withdraw', {}]);
  await client.requests.step('r-1', 'start');
  await client.consents.check({ subject: 'u-1', purposes: ['email_marketing'] });
  assert.equal(fetch.calls.filter((c) => c.url.pathname === '/v1/consents/check').length, 3, 'withdraw evicted u-1; start did not');
  await client.consents.check({ subject: 'u-1', purposes: ['email_marketing'] });
  assert.equal(fetch.calls.filter((c) => c.url.pathname === '/v1/consents/check').length, 3);
  await client.requests.create({ subject: 'u-1', type: 'human_review', purposes: ['pay_later_eligibility'] });
  assert.deepEqual(fetch.calls.at(-1).body, { subject: 'u-1', type: 'human_review', purposes: ['pay_later_eligibility'] });
});

test('a principal filing an objection clears the cache (the token names the subject, not the call)', async () => {
  const fetch = recorder();
  const client = pk(fetch);
  await client.consents.check({ subject: 'u-2', purposes: ['p'] });
  await client.me.requests.file({ type: 'access' });
  await client.consents.check({ subject: 'u-2', purposes: ['p'] });
  assert.equal(fetch.calls.filter((c) => c.url.pathname === '/v1/consents/check').length, 1, 'an access request changes no answer');
  await client.me.requests.file({ type: 'objection' });
  await client.consents.check({ subject: 'u-2', purposes: ['p'] });
  assert.equal(fetch.calls.filter((c) => c.url.pathname === '/v1/consents/check').length, 2);
});

test('incidents: create, list, get, steps, notices and the report draft as JSON or HTML', async () => {
  const fetch = recorder((c) => (c.url.pathname.endsWith('/report') && c.url.searchParams.get('format') === 'html' ? new Response('<!DOCTYPE html><h1>x</h1>', { headers: { 'content-type': 'text/html' } }) : undefined));
  const client = pk(fetch);
  await client.incidents.create({ nature: 'laptop lost', detected_at: '2026-01-01T00:00:00Z', regime: 'DPDP' });
  await client.incidents.list();
  await client.incidents.get('i-1');
  await client.incidents.step('i-1', 'notify-authority', { reference: 'DPB-7' });
  await client.incidents.step('i-1', 'notify-principals');
  await client.incidents.notices('i-1');
  await client.incidents.report('i-1');
  assert.equal(await client.incidents.report('i-1', 'html'), '<!DOCTYPE html><h1>x</h1>');
  assert.deepEqual(fetch.calls.map(line), [
    'POST /v1/incidents',
    'GET /v1/incidents',
    'GET /v1/incidents/i-1',
    'POST /v1/incidents/i-1/notify-authority',
    'POST /v1/incidents/i-1/notify-principals',
    'GET /v1/incidents/i-1/notices',
    'GET /v1/incidents/i-1/report?format=json',
    'GET /v1/incidents/i-1/report?format=html',
  ]);
  assert.deepEqual(fetch.calls[3].body, { reference: 'DPB-7' });
  assert.deepEqual(fetch.calls[4].body, {});
  assert.equal(fetch.calls[7].headers.Accept, 'text/html');
});

test('guardians and me.wards: mark, link, revoke, clear; a guardian lists and changes her wards, evicting the cache', async () => {
  const fetch = recorder();
  const client = pk(fetch);
  await client.guardians.mark('kid/1', { kind: 'child', source: 'age_check', born_on: '2015-03-01' });
  await client.guardians.link('kid/1', { guardian: 'mum', relation: 'parent', verification: { method: 'virtual_token', reference: 'dl-1', issuer: 'digilocker' } });
  await client.guardians.get('kid/1');
  await client.guardians.revoke('kid/1', 'l-1', 'custody order');
  await client.guardians.clear('kid/1', 'adult');
  await client.me.wards.list();
  await client.me.wards.consents('kid/1');
  await client.consents.check({ subject: 'kid/1', purposes: ['account'] });
  await client.me.wards.change('kid/1', 'account', 'give', { notice_version: 2, language: 'hi' });
  await client.consents.check({ subject: 'kid/1', purposes: ['account'] });
  assert.deepEqual(fetch.calls.map(line), [
    'POST /v1/subjects/kid%2F1/guardianship',
    'POST /v1/subjects/kid%2F1/guardians',
    'GET /v1/subjects/kid%2F1/guardianship',
    'POST /v1/subjects/kid%2F1/guardians/l-1/revoke',
    'POST /v1/subjects/kid%2F1/guardianship/clear',
    'GET /v1/me/wards',
    'GET /v1/me/wards/kid%2F1/consents',
    'POST /v1/consents/check',
    'POST /v1/me/wards/kid%2F1/consents/account/give',
    'POST /v1/consents/check',
  ]);
  assert.deepEqual(fetch.calls[3].body, { reason: 'custody order' });
  assert.equal(fetch.calls[8].body.notice_version, 2);
  assert.match(fetch.calls[8].body.idempotency_key, /^[0-9a-f-]{36}$/, 'a retried change records nothing new');
});

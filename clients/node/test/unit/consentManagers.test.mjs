// The Consent Manager API against an injected fetch: paths, methods, bodies, the cursor, and the
// consent cache evicted by an artefact (it changes consents).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PrivacyKit, WEBHOOK_EVENT_TYPES } from '../../dist/esm/index.js';
import { fakeFetch, checkAnswer } from './helpers.mjs';

const manager = {
  id: 'cm-one',
  registration_number: 'CM/2026/0001',
  name: 'One Consent',
  jwks: { keys: [{ kty: 'EC', kid: 'k1', crv: 'P-256', x: 'x', y: 'y' }] },
  webhook_id: null,
  status: 'active',
  source: 'api',
  updated_at: '2026-01-01T00:00:00Z',
};

function recorder() {
  return fakeFetch((c) => {
    if (c.url.pathname === '/v1/consents/check') return checkAnswer(c.body.subject, c.body.purposes);
    if (c.url.pathname.endsWith('/artefacts')) return { status: 201, body: { artefact: {}, events: [] } };
    if (c.url.pathname.endsWith('/changes')) return { body: { changes: [], next_cursor: '7' } };
    if (c.url.pathname === '/v1/me/consent-managers') return { body: { consent_managers: [] } };
    if (c.url.pathname === '/v1/consent-managers' && c.init.method === 'GET') return { body: { consent_managers: [manager] } };
    return { status: c.init.method === 'POST' && c.url.pathname === '/v1/consent-managers' ? 201 : 200, body: manager };
  });
}
const pk = (fetch) => new PrivacyKit({ baseUrl: 'http://pk.test', token: 't', fetch, retries: 0, cache: { ttlMs: 60_000 } });
const line = (c) => `${c.init.method} ${c.url.pathname}${c.url.search}`;

test('consentManagers: register, list, get, rotate, suspend, resume, remove, submit, pull; me', async () => {
  const fetch = recorder();
  const client = pk(fetch);
  const { id, registration_number, name, jwks } = manager;
  assert.equal((await client.consentManagers.register({ id, registration_number, name, jwks })).id, 'cm-one');
  assert.equal((await client.consentManagers.list()).consent_managers.length, 1);
  await client.consentManagers.get('cm/one');
  await client.consentManagers.replaceKeys('cm-one', jwks);
  await client.consentManagers.suspend('cm-one');
  await client.consentManagers.resume('cm-one');
  await client.consentManagers.submit('cm-one', 'aaa.bbb.ccc');
  assert.equal((await client.consentManagers.changes('cm-one', { after: '6', limit: 50 })).next_cursor, '7');
  await client.consentManagers.changes('cm-one');
  await client.consentManagers.remove('cm-one');
  assert.deepEqual((await client.me.consentManagers()).consent_managers, []);
  assert.deepEqual(fetch.calls.map(line), [
    'POST /v1/consent-managers',
    'GET /v1/consent-managers',
    'GET /v1/consent-managers/cm%2Fone',
    'PUT /v1/consent-managers/cm-one/keys',
    'POST /v1/consent-managers/cm-one/suspend',
    'POST /v1/consent-managers/cm-one/resume',
    'POST /v1/consent-managers/cm-one/artefacts',
    'GET /v1/consent-managers/cm-one/changes?after=6&limit=50',
    'GET /v1/consent-managers/cm-one/changes',
    'DELETE /v1/consent-managers/cm-one',
    'GET /v1/me/consent-managers',
  ]);
  assert.deepEqual(fetch.calls[3].body, { jwks });
  assert.deepEqual(fetch.calls[6].body, { artefact: 'aaa.bbb.ccc' });
});

test('consentManagers.submit: an artefact changes consents, so cached answers are dropped', async () => {
  const fetch = recorder();
  const client = pk(fetch);
  await client.consents.check({ subject: 'alice', purposes: ['account'] });
  await client.consents.check({ subject: 'alice', purposes: ['account'] });
  assert.equal(fetch.calls.filter((c) => c.url.pathname === '/v1/consents/check').length, 1);
  await client.consentManagers.submit('cm-one', 'aaa.bbb.ccc');
  await client.consents.check({ subject: 'alice', purposes: ['account'] });
  assert.equal(fetch.calls.filter((c) => c.url.pathname === '/v1/consents/check').length, 2);
});

test('webhooks: consent_manager.change is a known event type', () => {
  assert.ok(WEBHOOK_EVENT_TYPES.includes('consent_manager.change'));
});

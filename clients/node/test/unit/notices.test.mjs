// Notices (DPDP s.5, Rules 2025 rule 3; GDPR Art. 13) against an injected fetch: one version with
// its texts' SHA-256, kept in memory; the hash sent back on a consent change as notice_hash.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { PrivacyKit, PrivacyKitError } from '../../dist/esm/index.js';
import { fakeFetch } from './helpers.mjs';

const text = 'हम रसीदें भेजने के लिए आपके ई-मेल पते का उपयोग करते हैं।\n';
const sha256 = createHash('sha256').update(text, 'utf8').digest('hex');
const version = (languages) => ({
  notice: 'dpdp-notice',
  version: 2,
  published: '2026-05-14',
  material: true,
  languages,
  items: [{ data: 'principal.contact.email', title: 'E-mail', purpose: 'Send receipts' }],
  services: ['Receipts'],
  links: { withdraw: 'https://app.example/c', rights: 'https://app.example/r', complaint: 'https://app.example/b' },
  texts: Object.fromEntries(languages.map((l) => [l, { text, sha256 }])),
});
const pk = (fetch) => new PrivacyKit({ baseUrl: 'http://pk.test', token: 't', fetch, retries: 0 });
const line = (c) => `${c.init.method} ${c.url.pathname}${c.url.search}`;

test('policy.notice gets one version, narrowed to a language, and keeps it', async () => {
  const fetch = fakeFetch((c) => ({ body: version(c.url.searchParams.get('language') ? ['hi'] : ['en', 'hi']) }));
  const client = pk(fetch);
  const hindi = await client.policy.notice('dpdp-notice', 2, 'hi');
  assert.equal(hindi.texts.hi.sha256, sha256);
  assert.equal(createHash('sha256').update(hindi.texts.hi.text, 'utf8').digest('hex'), hindi.texts.hi.sha256);
  await client.policy.notice('dpdp-notice', 2, 'hi');
  const all = await client.policy.notice('dpdp/notice', 2);
  assert.deepEqual(all.languages, ['en', 'hi']);
  assert.deepEqual(fetch.calls.map(line), ['GET /v1/notices/dpdp-notice/2?language=hi', 'GET /v1/notices/dpdp%2Fnotice/2']);
});

test('policy.notice: a 404 problem is an error and is not kept', async () => {
  let first = true;
  const fetch = fakeFetch(() => {
    if (first) {
      first = false;
      return { status: 404, body: { type: 'https://privacykit.dev/problems/unknown-language', title: 'Unknown language', status: 404, detail: 'x' } };
    }
    return { body: version(['en']) };
  });
  const client = pk(fetch);
  await assert.rejects(client.policy.notice('dpdp-notice', 2, 'fr'), (e) => e instanceof PrivacyKitError && e.status === 404);
  assert.equal((await client.policy.notice('dpdp-notice', 2, 'fr')).notice, 'dpdp-notice');
  assert.equal(fetch.calls.length, 2);
});

test('consent changes pass notice_hash through, for the fiduciary and the principal', async () => {
  const fetch = fakeFetch(() => ({ status: 201, body: { event_id: 'e' } }));
  const client = pk(fetch);
  await client.consents.give('u-1', 'usage_analytics', { notice_version: 2, language: 'hi', notice_hash: sha256 });
  await client.me.change('usage_analytics', 'give', { notice_version: 2, language: 'hi', notice_hash: sha256 });
  assert.deepEqual(fetch.calls.map(line), ['POST /v1/subjects/u-1/consents/usage_analytics/give', 'POST /v1/me/consents/usage_analytics/give']);
  for (const call of fetch.calls) {
    assert.equal(call.body.notice_hash, sha256);
    assert.equal(call.body.language, 'hi');
  }
});

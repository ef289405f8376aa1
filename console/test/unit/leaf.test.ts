// Leaf encodings against vectors printed by the service's own EntryCodec (audit-log,
// internal/EntryCodec.java), compiled and run with javac for these tests.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fromHex, toHex } from '../../src/proof/bytes.ts';
import { encodeEntry, fieldsFromView, instantMicros, type LeafFields } from '../../src/proof/leaf.ts';
import { leafHash } from '../../src/proof/merkle.ts';

const SALT = fromHex('00112233445566778899aabbccddeeff');
const BASE: LeafFields = {
  seq: 5n,
  recordedAtMicros: instantMicros('2026-12-01T10:00:00.123456Z'),
  tenant: 'acme',
  actor: 'agent-7',
  actorRole: null,
  subject: 'subj_42',
  action: 'READ',
  purpose: 'email_marketing',
  legalBasis: null,
  categories: null,
  recipient: null,
  requestId: null,
  outcome: 'SUCCESS',
  submittedBy: null,
  bodyHash: null,
  salt: null,
};

const VECTORS: Array<[string, LeafFields, string, string]> = [
  [
    'version 1: no salt, no submitter',
    BASE,
    '0100000000000000050006618f96e5ca400000000461636d65000000076167656e742d37ffffffff000000077375626a5f343200000004524541440000000f656d61696c5f6d61726b6574696e67ffffffffffffffffffffffffffffffff0000000753554343455353ffffffff',
    '44b17f6f94641ec850ef8a7621d4e74884bfb2e209df4bfef7be6256e64b8ecb',
  ],
  [
    'version 2: a submitter, no salt',
    { ...BASE, submittedBy: 'https://id.example|orders' },
    '0200000000000000050006618f96e5ca400000000461636d65000000076167656e742d37ffffffff000000077375626a5f343200000004524541440000000f656d61696c5f6d61726b6574696e67ffffffffffffffffffffffffffffffff0000000753554343455353ffffffff0000001968747470733a2f2f69642e6578616d706c657c6f7264657273',
    '4472c16070f59373c50836442ad5d468fd47e9669e2390e7b8cb414b8dd50fbb',
  ],
  [
    'version 3: salt, every field, body hash, non-ASCII tenant',
    {
      seq: 1042n,
      recordedAtMicros: instantMicros('2026-01-31T23:59:59Z'),
      tenant: 't\u00e9nant',
      actor: 'agent-7',
      actorRole: 'clerk',
      subject: 'user-42',
      action: 'CONSENT_GIVEN',
      purpose: 'email_marketing',
      legalBasis: 'gdpr:consent',
      categories: 'user.contact.email,user.name',
      recipient: 'crm',
      requestId: 'req-1',
      outcome: 'DENIED',
      submittedBy: 'https://id.example|ops',
      bodyHash: fromHex('fffefdfcfbfaf9f8f7f6f5f4f3f2f1f0efeeedecebeae9e8e7e6e5e4e3e2e1e0'),
      salt: SALT,
    },
    '0300112233445566778899aabbccddeeff0000000000000412000649b7e3259dc00000000774c3a96e616e74000000076167656e742d3700000005636c65726b00000007757365722d34320000000d434f4e53454e545f474956454e0000000f656d61696c5f6d61726b6574696e670000000c676470723a636f6e73656e740000001c757365722e636f6e746163742e656d61696c2c757365722e6e616d650000000363726d000000057265712d310000000644454e49454400000020fffefdfcfbfaf9f8f7f6f5f4f3f2f1f0efeeedecebeae9e8e7e6e5e4e3e2e1e00000001668747470733a2f2f69642e6578616d706c657c6f7073',
    '8759e56abd30d50a1ddca99608287fef911db4d4cc7739e548281f0b8952c7f0',
  ],
  [
    'version 3 without a submitter still ends with its (absent) length',
    { ...BASE, seq: 0n, recordedAtMicros: instantMicros('1970-01-01T00:00:00.000001Z'), salt: SALT },
    '0300112233445566778899aabbccddeeff000000000000000000000000000000010000000461636d65000000076167656e742d37ffffffff000000077375626a5f343200000004524541440000000f656d61696c5f6d61726b6574696e67ffffffffffffffffffffffffffffffff0000000753554343455353ffffffffffffffff',
    '532f06593618b2fe99a60454c83a82f734b122d3c4b46d67b72d9e44704891bb',
  ],
];

for (const [name, fields, bytes, leaf] of VECTORS) {
  test(`encodeEntry_${name}_matchesTheService`, async () => {
    const encoded = encodeEntry(fields);
    assert.equal(toHex(encoded), bytes);
    assert.equal(toHex(await leafHash(encoded)), leaf);
  });
}

test('encodeEntry_wrongSaltLength_throws', () => {
  assert.throws(() => encodeEntry({ ...BASE, salt: new Uint8Array(15) }), /a leaf salt is 16 bytes, this one 15/);
});

test('instantMicros_readsJavaInstantTextExactly', () => {
  assert.equal(instantMicros('1970-01-01T00:00:00Z'), 0n);
  assert.equal(instantMicros('2026-12-01T10:00:00.123Z'), 1796119200123000n);
  assert.equal(instantMicros('2026-12-01T10:00:00.123456Z'), 1796119200123456n);
  assert.equal(instantMicros('2026-12-01T10:00:00.123456789Z'), 1796119200123456n);
  assert.throws(() => instantMicros('2026-12-01 10:00:00Z'), /not an ISO-8601 UTC instant/);
  assert.throws(() => instantMicros('2026-12-01T10:00:00+01:00'), /not an ISO-8601 UTC instant/);
});

test('fieldsFromView_mapsTheApiEntry_toTheStoredFields', async () => {
  const result = fieldsFromView(
    {
      seq: 1042,
      recorded_at: '2026-01-31T23:59:59Z',
      actor: 'agent-7',
      actor_role: 'clerk',
      subject: 'user-42',
      action: 'consent_given',
      purpose: 'email_marketing',
      legal_basis: 'gdpr:consent',
      categories: ['user.contact.email', 'user.name'],
      recipient: 'crm',
      request_id: 'req-1',
      outcome: 'denied',
      submitted_by: 'https://id.example|ops',
      body_state: 'present',
      leaf_hash: '8759e56abd30d50a1ddca99608287fef911db4d4cc7739e548281f0b8952c7f0',
      leaf_salt: '00112233445566778899aabbccddeeff',
      body_hash: 'fffefdfcfbfaf9f8f7f6f5f4f3f2f1f0efeeedecebeae9e8e7e6e5e4e3e2e1e0',
    },
    't\u00e9nant',
  );
  assert.ok('fields' in result);
  assert.equal(toHex(await leafHash(encodeEntry(result.fields))), '8759e56abd30d50a1ddca99608287fef911db4d4cc7739e548281f0b8952c7f0');
});

test('fieldsFromView_entryOwnTenant_winsOverTheToken', () => {
  const result = fieldsFromView(
    { seq: 1, recorded_at: '1970-01-01T00:00:00Z', tenant: 'a', actor: 'x', action: 'read', outcome: 'success', leaf_hash: '', leaf_salt: null, body_hash: null },
    'b',
  );
  assert.ok('fields' in result && result.fields.tenant === 'a' && result.fields.categories === null);
});

test('fieldsFromView_withoutSaltAndBodyHash_namesWhatIsMissing', () => {
  const result = fieldsFromView({ seq: 1, recorded_at: '1970-01-01T00:00:00Z', actor: 'x', action: 'read', outcome: 'success', leaf_hash: '' }, null);
  assert.deepEqual(result, { missing: ['leaf_salt', 'body_hash', 'tenant'] });
});

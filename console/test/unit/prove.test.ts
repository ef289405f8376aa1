// The whole in-browser proof against a fake log: what passes, what fails and what it says.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { proveEntry, type ProofReport } from '../../src/proof/prove.ts';
import { fakeLog, signer, TENANT, type FakeLog, type Signer } from './fake-log.ts';

let log: FakeLog;
let by: Signer;

test.before(async () => {
  by = await signer('audit.example.com/log');
  log = await fakeLog(13, by);
});

const states = (r: ProofReport) => Object.fromEntries(r.steps.map((s) => [s.id, s.state]));

test('proveEntry_pinnedKeyAndIntactEntry_isProven', async () => {
  for (const seq of [0, 5, 9]) {
    const report = await proveEntry(log.entries[seq]!, { tokenTenant: TENANT, pinnedKey: by.verifierKey, source: log.source(10, 13) });
    assert.equal(report.verdict, 'proven', report.summary);
    assert.deepEqual(states(report), {
      key: 'pass',
      leaf: 'pass',
      signature: 'pass',
      size: 'pass',
      path: 'pass',
      'server-key': 'pass',
      latest: 'pass',
      consistency: 'pass',
    });
  }
});

test('proveEntry_latestCheckpointIsTheProofs_isProvenWithoutConsistencyProof', async () => {
  const report = await proveEntry(log.entries[12]!, { tokenTenant: TENANT, pinnedKey: by.verifierKey, source: log.source(13, 13) });
  assert.equal(report.verdict, 'proven');
  assert.match(report.steps.find((s) => s.id === 'consistency')!.detail, /the latest checkpoint is the one the proof is against/);
});

test('proveEntry_noPinnedKey_isUnproven', async () => {
  const report = await proveEntry(log.entries[3]!, { tokenTenant: TENANT, pinnedKey: '', source: log.source(13, 13) });
  assert.equal(report.verdict, 'unproven');
  assert.equal(report.summary, 'Entry 3 not proven: not pinned: cannot prove (pin the verifier key in Settings)');
  assert.equal(states(report).signature, 'skip');
});

test('proveEntry_changedField_fails_sayingCalculatedAndStored', async () => {
  const changed = { ...log.entries[4]!, purpose: 'analytics' };
  const report = await proveEntry(changed, { tokenTenant: TENANT, pinnedKey: by.verifierKey, source: log.source(13, 13) });
  assert.equal(report.verdict, 'failed');
  assert.equal(states(report).leaf, 'fail');
  assert.equal(states(report).path, 'fail');
  assert.match(report.summary, /^Entry 4 does NOT verify: Leaf recomputed in this browser: calculated [0-9a-f]{64}, stored in the log [0-9a-f]{64}: the entry's fields were changed$/);
});

test('proveEntry_otherTenant_fails', async () => {
  const report = await proveEntry(log.entries[4]!, { tokenTenant: 'beta', pinnedKey: by.verifierKey, source: log.source(13, 13) });
  assert.equal(report.verdict, 'failed');
});

test('proveEntry_checkpointSignedByAnotherKey_fails', async () => {
  const impostor = await signer('audit.example.com/log');
  const forged = await fakeLog(13, impostor);
  const report = await proveEntry(log.entries[2]!, { tokenTenant: TENANT, pinnedKey: by.verifierKey, source: forged.source(13, 13) });
  assert.equal(report.verdict, 'failed');
  assert.equal(states(report).signature, 'fail');
  assert.equal(states(report)['server-key'], 'warn');
  assert.match(report.steps.find((s) => s.id === 'server-key')!.detail, /announces a different key, audit\.example\.com\/log\+[0-9a-f]{8}\+.*: not trusted/);
});

test('proveEntry_forkedLatestCheckpoint_failsConsistency', async () => {
  // The same key signs a 13-entry tree whose leaf 5 differs: it does not extend the proof's tree.
  const fork = await fakeLog(13, by);
  fork.leaves[5] = fork.leaves[0]!;
  const source = log.source(10, 13, { latest: () => fork.checkpoint(13) });
  const report = await proveEntry(log.entries[1]!, { tokenTenant: TENANT, pinnedKey: by.verifierKey, source });
  assert.equal(report.verdict, 'failed');
  assert.equal(states(report).consistency, 'fail');
});

test('proveEntry_proofAndCheckpointSizesDiffer_fails', async () => {
  const source = log.source(10, 13, { inclusionCheckpoint: () => log.checkpoint(12) });
  const report = await proveEntry(log.entries[1]!, { tokenTenant: TENANT, pinnedKey: by.verifierKey, source });
  assert.equal(report.verdict, 'failed');
  assert.equal(report.steps.find((s) => s.id === 'size')!.detail, 'the proof is for tree size 10, the checkpoint is for 12');
});

test('proveEntry_apiWithoutSaltAndBodyHash_isUnproven_andAChangedRowStillFails', async () => {
  const { leaf_salt: _salt, body_hash: _hash, ...bare } = log.entries[6]!;
  const intact = await proveEntry(bare, { tokenTenant: TENANT, pinnedKey: by.verifierKey, source: log.source(13, 13) });
  assert.equal(intact.verdict, 'unproven');
  assert.equal(intact.summary, "Entry 6 not proven: the API's entry lacks leaf_salt, body_hash, so its leaf cannot be recomputed here");
  const changed = await proveEntry({ ...bare, leaf_hash: log.entries[7]!.leaf_hash }, { tokenTenant: TENANT, pinnedKey: by.verifierKey, source: log.source(13, 13) });
  assert.equal(changed.verdict, 'failed');
});

test('proveEntry_proofUnavailable_isUnproven', async () => {
  const source = { ...log.source(13, 13), inclusion: () => Promise.reject(new Error('503 Service Unavailable')) };
  const report = await proveEntry(log.entries[1]!, { tokenTenant: TENANT, pinnedKey: by.verifierKey, source });
  assert.equal(report.verdict, 'unproven');
  assert.equal(report.summary, 'Entry 1 not proven: could not fetch the inclusion proof: 503 Service Unavailable');
});

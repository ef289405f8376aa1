// The proof in a sharded log, against what the real service answered on four shards
// (fixtures/sharded-proof.json, written by test/browser/sharded-fixture.ts): every real entry
// proves, and each tampered answer fails at the step that catches it, saying what it calculated.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fromHex, toHex } from '../../src/proof/bytes.ts';
import { proveEntry, type CheckpointView, type ConsistencyView, type InclusionView, type ProofReport, type ProofSource } from '../../src/proof/prove.ts';
import { baseOrigin, shardOrigin } from '../../src/proof/shard.ts';
import type { ShardedFixture, TenantRecording } from '../browser/sharded-fixture.ts';
import { signer } from './fake-log.ts';

const fixture = JSON.parse(readFileSync(new URL('fixtures/sharded-proof.json', import.meta.url), 'utf8')) as ShardedFixture;
const KEY = fixture.verifier_key;
const tenant = (name: string) => fixture.tenants.find((t) => t.tenant === name)!;
const globex = tenant('globex'); // shard 3
const theta = tenant('theta'); // shard 2
const acme = tenant('acme'); // shard 0

const answer = <T>(t: TenantRecording, path: string): T => {
  if (!(path in t.answers)) throw new Error(`the fixture has no answer for ${path}`);
  return structuredClone(t.answers[path]) as T;
};
const inclusionOf = (t: TenantRecording, seq: number) => answer<Required<InclusionView>>(t, `/v1/audit/proofs/inclusion?seq=${seq}`);

/** The service's answers, replayed; `change` edits the inclusion proof the way a tampering server would. */
function source(t: TenantRecording, change: (proof: Required<InclusionView>) => void | Promise<void> = () => {}): ProofSource {
  return {
    async inclusion(seq) {
      const proof = inclusionOf(t, seq);
      await change(proof);
      return proof;
    },
    checkpoint: async () => answer<CheckpointView>(t, '/v1/audit/checkpoint'),
    consistency: async (from, to) => answer<ConsistencyView>(t, `/v1/audit/proofs/consistency?from=${from}&to=${to}`),
  };
}

const prove = (t: TenantRecording, seq: number, change?: Parameters<typeof source>[1], pinnedKey = KEY) =>
  proveEntry(t.entries.find((e) => e.seq === seq)!, { tokenTenant: t.tenant, pinnedKey, source: source(t, change) });
const states = (r: ProofReport) => Object.fromEntries(r.steps.map((s) => [s.id, s.state]));
const detail = (r: ProofReport, id: string) => r.steps.find((s) => s.id === id)?.detail;
const flip = (hex: string) => toHex(fromHex(hex).map((b, i) => (i === 0 ? b ^ 1 : b)));

const ALL_PASS = {
  key: 'pass',
  leaf: 'pass',
  signature: 'pass',
  size: 'pass',
  path: 'pass',
  'shard-origin': 'pass',
  'top-signature': 'pass',
  'shard-root': 'pass',
  'top-leaf': 'pass',
  'top-size': 'pass',
  'top-path': 'pass',
  'server-key': 'pass',
  latest: 'pass',
  consistency: 'pass',
};

test('fixture_holdsRealProofsOfThreeShards', () => {
  assert.equal(fixture.shard_count, 4);
  assert.deepEqual(fixture.tenants.map((t) => [t.tenant, t.shard, t.entries.length > 0]), [['globex', 3, true], ['theta', 2, true], ['acme', 0, true]]);
  const top = inclusionOf(globex, 0).top;
  assert.ok(top.path.length > 0, 'a top-level path with nodes');
  assert.match(top.origin, /\/top$/);
});

test('proveEntry_realShardedProofs_areProven_withEveryTopLevelStep', async () => {
  for (const t of [globex, theta, acme]) {
    for (const { seq } of t.entries) {
      const report = await prove(t, seq);
      assert.equal(report.verdict, 'proven', `${t.tenant} ${seq}: ${report.summary}`);
      assert.deepEqual(states(report), ALL_PASS, `${t.tenant} ${seq}`);
      assert.equal(report.shard, t.shard);
      const proof = inclusionOf(t, seq);
      assert.equal(
        report.summary,
        `Entry ${seq} is in shard ${t.shard} of the log: its leaf, recomputed here, leads to the root of the ${proof.tree_size}-entry shard checkpoint, ` +
          `which top-level entry ${proof.top.seq} records under the ${proof.top.tree_size}-entry top-level checkpoint; both signed with the pinned key.`,
      );
    }
  }
});

test('proveEntry_realShardedProof_saysWhatItCalculated', async () => {
  const proof = inclusionOf(globex, 2);
  const base = proof.top.origin.slice(0, -'/top'.length);
  const report = await prove(globex, 2);
  assert.equal(report.steps.find((s) => s.id === 'shard-origin')!.title, 'Shard origin (shard 3)');
  assert.equal(detail(report, 'shard-origin'), `shard 3 of ${base}: the signed shard checkpoint and the top-level entry are both of ${base}/shard/3`);
  assert.equal(detail(report, 'top-signature'), `signed by privacykit-audit: ${base}/top, size ${proof.top.tree_size}, the top-level log of ${base}`);
  assert.equal(detail(report, 'shard-root'), `the top-level entry records the signed shard checkpoint: size ${proof.tree_size}, root ${proof.checkpoint.root}`);
  assert.equal(
    detail(report, 'top-leaf'),
    `calculated ${proof.top.leaf_hash} for top-level entry ${proof.top.seq} (privacykit:shard:3 recorded ${proof.tree_size}:${proof.top.shard_root}), the same as the top-level log's stored leaf`,
  );
  assert.match(detail(report, 'top-path')!, /^calculated [0-9a-f]{64}, the top-level checkpoint's root$/);
});

test('proveEntry_shard0_keepsTheLogsOrigin_andIsProven', async () => {
  const proof = inclusionOf(acme, 0);
  assert.equal(`${proof.top.shard_origin}/top`, proof.top.origin);
  const report = await prove(acme, 0);
  assert.equal(report.verdict, 'proven', report.summary);
});

test('proveEntry_noPinnedKey_isUnproven_topSignatureSkipped', async () => {
  const report = await prove(globex, 1, undefined, '');
  assert.equal(report.verdict, 'unproven');
  assert.equal(report.summary, 'Entry 1 (shard 3) not proven: not pinned: cannot prove (pin the verifier key in Settings)');
  assert.equal(states(report)['top-signature'], 'skip');
  assert.equal(states(report)['top-leaf'], 'pass');
});

test('proveEntry_topLeafOfAnotherShard_fails', async () => {
  // The top-level entry, leaf and path of theta's shard 2 checkpoint, offered for globex's shard 3.
  const other = inclusionOf(theta, 0).top;
  const report = await prove(globex, 3, (proof) => {
    proof.top = { ...proof.top, seq: other.seq, tree_size: other.tree_size, leaf_hash: other.leaf_hash, path: other.path, recorded_at: other.recorded_at, salt: other.salt, checkpoint: other.checkpoint };
  });
  assert.equal(report.verdict, 'failed');
  assert.equal(states(report)['top-leaf'], 'fail');
  assert.equal(states(report)['top-path'], 'fail');
  assert.equal(states(report)['top-signature'], 'pass');
  const proof = inclusionOf(globex, 3);
  assert.match(
    report.summary,
    new RegExp(
      `^Entry 3 \\(shard 3\\) does NOT verify: Top-level leaf recomputed in this browser: calculated [0-9a-f]{64} for shard 3's checkpoint ${proof.tree_size}:${proof.top.shard_root}, ` +
        `stored in the top-level log ${other.leaf_hash}: top-level entry ${other.seq} does not record this shard checkpoint$`,
    ),
  );
});

test('proveEntry_wholeTopHalfOfAnotherShard_failsOnTheShardOrigin', async () => {
  const other = inclusionOf(theta, 0).top;
  const report = await prove(globex, 3, (proof) => {
    proof.top = other;
  });
  assert.equal(report.verdict, 'failed');
  const base = other.origin.slice(0, -'/top'.length);
  assert.equal(detail(report, 'shard-origin'), `the top-level entry records ${base}/shard/2, the signed shard checkpoint is of ${base}/shard/3`);
  assert.equal(states(report)['shard-root'], 'fail');
  assert.equal(states(report)['top-leaf'], 'fail');
});

test('proveEntry_serverNamesAnotherShard_fails', async () => {
  const report = await prove(globex, 3, (proof) => {
    proof.shard = 2;
  });
  assert.equal(report.verdict, 'failed');
  assert.equal(report.shard, 2);
  const base = inclusionOf(globex, 3).top.origin.slice(0, -'/top'.length);
  assert.equal(detail(report, 'shard-origin'), `the shard checkpoint is of ${base}/shard/3, which does not name shard 2 (<log>/shard/2)`);
  assert.equal(states(report)['top-leaf'], 'fail'); // the leaf names privacykit:shard:2
});

test('proveEntry_changedShardRoot_fails', async () => {
  const proof = inclusionOf(globex, 4);
  const changed = flip(proof.top.shard_root);
  const report = await prove(globex, 4, (p) => {
    p.top.shard_root = changed;
  });
  assert.equal(report.verdict, 'failed');
  assert.equal(
    detail(report, 'shard-root'),
    `the signed shard checkpoint has size ${proof.tree_size}, root ${proof.top.shard_root}; the top-level entry records size ${proof.tree_size}, root ${changed}`,
  );
  assert.equal(states(report)['top-leaf'], 'fail');
  assert.equal(states(report)['top-path'], 'fail');
  assert.match(report.summary, /^Entry 4 \(shard 3\) does NOT verify: Shard checkpoint recorded in the top-level log: /);
});

test('proveEntry_topCheckpointOfAnotherOrigin_fails', async () => {
  // A note the pinned key really signed, of another origin: the shard's own checkpoint.
  const proof = inclusionOf(globex, 5);
  const base = proof.top.origin.slice(0, -'/top'.length);
  const report = await prove(globex, 5, (p) => {
    p.top.checkpoint = p.checkpoint.note;
    p.top.origin = p.checkpoint.origin;
  });
  assert.equal(report.verdict, 'failed');
  assert.equal(
    detail(report, 'top-signature'),
    `signed by privacykit-audit: ${base}/shard/3, size ${proof.tree_size}; expected the top-level log of ${base}, ${base}/top`,
  );
  assert.equal(states(report)['top-path'], 'fail');
});

test('proveEntry_topOriginNamedDifferentlyThanSigned_fails', async () => {
  const report = await prove(globex, 5, (p) => {
    p.top.origin = 'elsewhere.example/top';
  });
  assert.equal(report.verdict, 'failed');
  assert.match(detail(report, 'top-signature')!, /; the proof names the top-level log elsewhere\.example\/top$/);
});

test('proveEntry_topPathAltered_fails', async () => {
  const proof = inclusionOf(globex, 6);
  const report = await prove(globex, 6, (p) => {
    p.top.path[1] = flip(p.top.path[1]!);
  });
  assert.equal(report.verdict, 'failed');
  const root = Buffer.from(proof.top.checkpoint.split('\n')[2]!, 'base64').toString('hex');
  assert.match(detail(report, 'top-path')!, new RegExp(`^calculated [0-9a-f]{64}, top-level checkpoint ${root}$`));
  assert.deepEqual(
    Object.entries(states(report)).filter(([, s]) => s !== 'pass'),
    [['top-path', 'fail']],
  );
  const shortened = await prove(globex, 6, (p) => {
    p.top.path.pop();
  });
  assert.match(detail(shortened, 'top-path')!, /^calculated \(malformed path\), top-level checkpoint/);
});

test('proveEntry_entryPathAltered_fails', async () => {
  const report = await prove(theta, 2, (p) => {
    p.path[0] = flip(p.path[0]!);
  });
  assert.equal(report.verdict, 'failed');
  assert.deepEqual(
    Object.entries(states(report)).filter(([, s]) => s !== 'pass'),
    [['path', 'fail']],
  );
});

test('proveEntry_topCheckpointSignedByAnotherKey_fails', async () => {
  const impostor = await signer('privacykit-audit');
  const report = await prove(globex, 7, (p) => {
    p.top.checkpoint = impostor.signNote(p.top.checkpoint.slice(0, p.top.checkpoint.indexOf('\n\n') + 1));
  });
  assert.equal(report.verdict, 'failed');
  assert.equal(detail(report, 'top-signature'), 'the top-level checkpoint: the checkpoint signature by privacykit-audit does not verify with the pinned key');
  assert.equal(states(report)['signature'], 'pass');
  assert.equal(report.summary.startsWith('Entry 7 (shard 3) does NOT verify: Top-level checkpoint signature and origin (Ed25519, WebCrypto): '), true);
});

test('proveEntry_topSizeDiffers_fails', async () => {
  const proof = inclusionOf(globex, 8);
  const report = await prove(globex, 8, (p) => {
    p.top.tree_size += 1;
  });
  assert.equal(report.verdict, 'failed');
  assert.equal(detail(report, 'top-size'), `the top-level proof is for tree size ${proof.top.tree_size + 1}, the top-level checkpoint is for ${proof.top.tree_size}`);
});

test('proveEntry_otherSaltOrTime_failsTheTopLeaf', async () => {
  for (const change of [
    (p: Required<InclusionView>) => void (p.top.salt = flip(p.top.salt)),
    (p: Required<InclusionView>) => void (p.top.recorded_at = p.top.recorded_at.replace(/\.(\d)/, (_, d: string) => `.${(Number(d) + 1) % 10}`)),
  ]) {
    const report = await prove(globex, 9, change);
    assert.equal(report.verdict, 'failed');
    assert.equal(states(report)['top-leaf'], 'fail');
  }
});

test('proveEntry_malformedTopHalf_failsSayingWhich', async () => {
  const report = await prove(globex, 10, (p) => {
    (p.top as unknown as Record<string, unknown>)['path'] = 'none';
    (p.top as unknown as Record<string, unknown>)['seq'] = -1;
  });
  assert.equal(report.verdict, 'failed');
  assert.equal(detail(report, 'top-leaf'), "the proof's top-level half is malformed: seq, path");
  const shortSalt = await prove(globex, 10, (p) => {
    p.top.salt = p.top.salt.slice(2);
  });
  assert.equal(detail(shortSalt, 'top-leaf'), 'a leaf salt is 16 bytes, this one 15');
  const noShard = await prove(globex, 10, (p) => {
    delete (p as Partial<InclusionView>).shard;
  });
  assert.equal(noShard.verdict, 'failed');
  assert.equal(detail(noShard, 'shard-origin'), 'the proof has a top-level half but names no shard (shard: undefined)');
  assert.match(noShard.summary, /^Entry 10 \(shard \?\) does NOT verify: /);
});

test('shardOrigin_and_baseOrigin_asTheServiceNamesShards', () => {
  assert.equal(shardOrigin('log.example/audit', 0), 'log.example/audit');
  assert.equal(shardOrigin('log.example/audit', 12), 'log.example/audit/shard/12');
  assert.equal(baseOrigin('log.example/audit/shard/12', 12), 'log.example/audit');
  assert.equal(baseOrigin('log.example/audit/shard/12', 2), null);
  assert.equal(baseOrigin('log.example/audit/shard/2', 12), null);
  assert.equal(baseOrigin('/shard/3', 3), null);
  assert.equal(baseOrigin('log.example/audit', 0), 'log.example/audit');
});

// A sharded audit log (PRIVACYKIT_AUDIT_SHARDS=4) through the client, against the real service jar;
// run once per database by h2.test.mjs and postgres.test.mjs, with a service of its own.
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomUUID } from 'node:crypto';
import { PrivacyKit } from '@privacykit/node';
import { startService } from './service.mjs';

const SHARDS = 4;
// Fixed names on a fresh database, so the placement (by SHA-256 of the name) is the same every run:
// five tenants on four shards, so at least two share one (the tenant filter inside a shard is tested).
const TENANTS = ['acme', 'globex', 'initech', 'umbrella', 'stark'];
const EVENTS = 3;

/** The root an RFC 9162 inclusion path leads to (hex), or null if the path does not fit the tree. */
function rootFromInclusion(leafHex, index, size, pathHex) {
  const node = (left, right) => createHash('sha256').update(Buffer.from([1])).update(left).update(right).digest();
  if (index < 0 || index >= size) return null;
  let fn = index;
  let sn = size - 1;
  let r = Buffer.from(leafHex, 'hex');
  for (const p of pathHex.map((h) => Buffer.from(h, 'hex'))) {
    if (sn === 0) return null;
    if (fn % 2 === 1 || fn === sn) {
      r = node(p, r);
      while (fn % 2 === 0 && fn !== 0) {
        fn = Math.floor(fn / 2);
        sn = Math.floor(sn / 2);
      }
    } else {
      r = node(r, p);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 ? r.toString('hex') : null;
}

/** Origin, size and root (hex) of a C2SP signed note's checkpoint body. */
function noteBody(note) {
  const [origin, size, root] = note.split('\n');
  return { origin, size: Number(size), root: Buffer.from(root, 'base64').toString('hex') };
}

export function runShardSuite(DB) {
  describe(`sharded audit log (${DB})`, () => {
    let service;
    const run = randomUUID().slice(0, 8);
    const subject = `shared-${run}`; // every tenant writes about the same subject
    /** name -> { pk, shards (its GET /v1/audit/shards), requestIds, seqs, leaves (seq -> listed leaf hash) } */
    const tenants = new Map();
    let topOrigin;
    let baseOrigin;
    const shardOrigin = (id) => (id === 0 ? baseOrigin : `${baseOrigin}/shard/${id}`);

    before(async () => {
      service = await startService({ db: DB, env: { PRIVACYKIT_AUDIT_SHARDS: String(SHARDS) } });
      for (const name of TENANTS) {
        const token = await service.mint({ tenant: name });
        tenants.set(name, { pk: new PrivacyKit({ baseUrl: service.baseUrl, token, cache: { ttlMs: 0 } }), requestIds: [], seqs: [], leaves: new Map() });
      }
    });

    after(async () => {
      for (const t of tenants.values()) await t.pk.close({ timeoutMs: 1000 }).catch(() => undefined);
      await service?.stop();
    });

    test('shards(): four shards with their checkpoints, each tenant on one of them, the tenants spread', async () => {
      for (const [name, t] of tenants) {
        t.shards = await t.pk.audit.shards();
        const { count, tenant_shard: shard, top, shards } = t.shards;
        assert.equal(count, SHARDS, name);
        assert.deepEqual(shards.map((s) => s.id), [0, 1, 2, 3], name);
        assert.ok(Number.isInteger(shard) && shard >= 0 && shard < SHARDS, `${name}: tenant_shard ${shard}`);
        assert.match(top.origin, /\/top$/, `${name}: top-level origin`);
        assert.equal(noteBody(top.note).origin, top.origin, `${name}: the top-level note's first line`);
        topOrigin ??= top.origin;
        assert.equal(top.origin, topOrigin, 'one top-level log for every tenant');
        baseOrigin = topOrigin.slice(0, -'/top'.length);
        for (const s of shards) assert.equal(s.checkpoint.origin, shardOrigin(s.id), `${name}: shard ${s.id}'s origin`);
        const own = await t.pk.audit.checkpoint();
        assert.equal(own.origin, shardOrigin(shard), `${name}: checkpoint() is its shard's`);
      }
      const placed = [...tenants.values()].map((t) => t.shards.tenant_shard);
      assert.ok(new Set(placed).size >= 2, `the tenants spread over several shards, not all on one: ${placed}`);
      assert.ok(new Set(placed).size < placed.length, `two tenants share a shard: ${placed}`);
    });

    test("each tenant's appends go to its shard; query() and its report list exactly its own entries", async () => {
      // interleaved, so tenants on one shard take turns in its sequence
      for (let i = 0; i < EVENTS; i++) {
        for (const [name, t] of tenants) {
          const requestId = `${name}-${i}-${run}`;
          const { seq } = await t.pk.audit.append({ action: 'write', subject, actor: `it-${name}`, request_id: requestId });
          t.requestIds.push(requestId);
          t.seqs.push(seq);
        }
      }
      const everyRequestId = new Set([...tenants.values()].flatMap((t) => t.requestIds));
      for (const [name, t] of tenants) {
        const written = [];
        for await (const e of t.pk.audit.query({ subject, action: 'write', limit: 2 })) written.push(e);
        assert.deepEqual(written.map((e) => e.request_id).sort(), [...t.requestIds].sort(), `${name} lists its own entries, no other tenant's`);
        assert.deepEqual(written.map((e) => e.seq).sort((a, b) => a - b), t.seqs, `${name}: the seqs its appends were given`);
        assert.ok(written.every((e) => e.tenant === name), `${name}: every entry is the tenant's`);
        for (const e of written) t.leaves.set(e.seq, e.leaf_hash);
        // unfiltered, the tenant's whole trail (the service's own entries for its requests among them)
        const trail = [];
        for await (const e of t.pk.audit.query({ limit: 1000 })) trail.push(e);
        assert.ok(trail.every((e) => e.tenant === name), `${name}: only its own entries in its trail`);
        const ours = trail.map((e) => e.request_id).filter((id) => everyRequestId.has(id));
        assert.deepEqual(ours.sort(), [...t.requestIds].sort(), `${name}: no other tenant's entry in its trail`);
        const report = await t.pk.audit.subjectReport(subject);
        const reported = report.entries.map((e) => e.request_id).filter((id) => everyRequestId.has(id));
        assert.deepEqual(reported.sort(), [...t.requestIds].sort(), `${name}: its subject report`);
        assert.equal(report.checkpoint.origin, shardOrigin(t.shards.tenant_shard), `${name}: the report's checkpoint is its shard's`);
      }
      // tenants on one shard share its sequence: their seqs never collide
      for (let shard = 0; shard < SHARDS; shard++) {
        const seqs = [...tenants.values()].filter((t) => t.shards.tenant_shard === shard).flatMap((t) => t.seqs);
        assert.equal(new Set(seqs).size, seqs.length, `shard ${shard}: one sequence for its tenants`);
      }
    });

    test("an inclusion proof is against the tenant's shard and a signed top-level checkpoint; both paths lead to their roots", async () => {
      for (const [name, t] of tenants) {
        const shard = t.shards.tenant_shard;
        for (const seq of t.seqs) {
          const proof = await t.pk.audit.inclusionProof(seq);
          const at = `${name} seq ${seq}`;
          assert.equal(proof.seq, seq, at);
          assert.equal(proof.leaf_hash, t.leaves.get(seq), `${at}: the proof is of the entry query() listed`);
          assert.equal(proof.shard, shard, `${at}: the proof's shard is the tenant's`);
          assert.equal(proof.checkpoint.origin, shardOrigin(shard), at);
          assert.equal(proof.checkpoint.size, proof.tree_size, at);
          assert.equal(rootFromInclusion(proof.leaf_hash, proof.seq, proof.tree_size, proof.path), proof.checkpoint.root, `${at}: the entry's path`);

          const { top } = proof;
          assert.equal(top.origin, topOrigin, at);
          const signed = noteBody(top.checkpoint);
          assert.equal(signed.origin, topOrigin, `${at}: the top-level note's first line`);
          assert.match(signed.origin, /\/top$/, at);
          if (shard === 0) assert.equal(top.shard_origin, baseOrigin, at);
          else assert.ok(top.shard_origin.endsWith(`/shard/${shard}`), `${at}: shard_origin ${top.shard_origin}`);
          assert.equal(top.shard_origin, proof.checkpoint.origin, at);
          assert.equal(top.shard_root, proof.checkpoint.root, `${at}: the top-level entry records this shard checkpoint`);
          assert.equal(signed.size, top.tree_size, at);
          assert.equal(rootFromInclusion(top.leaf_hash, top.seq, top.tree_size, top.path), signed.root, `${at}: the top-level path`);
        }
      }
    });

    test("no tenant gets a proof of another tenant's entry", async () => {
      for (const [owner, a] of tenants) {
        for (const [name, b] of tenants) {
          if (owner === name) continue;
          for (const seq of a.seqs) {
            const answer = await b.pk.audit.inclusionProof(seq).catch((e) => e);
            if (a.shards.tenant_shard === b.shards.tenant_shard) {
              assert.equal(answer.status, 404, `${name} asking for ${owner}'s seq ${seq} on their shared shard`);
            } else if (answer.status !== 404) {
              // another shard has its own seq numbers: whatever that seq is there, it is not owner's entry
              assert.equal(answer.shard, b.shards.tenant_shard, `${name} asking for seq ${seq}`);
              assert.notEqual(answer.leaf_hash, a.leaves.get(seq), `${name} got ${owner}'s entry ${seq}`);
            }
          }
        }
      }
    });

    test('verify() checks every shard and the top-level log: ok', async () => {
      const result = await tenants.get(TENANTS[0]).pk.audit.verify();
      assert.equal(result.ok, true, JSON.stringify(result));
      assert.equal(result.failure ?? null, null);
    });
  });
}

// RFC 6962 reference vectors (the Certificate Transparency tests, as audit-log's MerkleTest uses
// them) and every inclusion and consistency proof of small trees, built by RFC 9162's recursive
// definitions independently of the checker.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fromHex, toHex } from '../../src/proof/bytes.ts';
import { path, root, subproof } from './fake-log.ts';
import { leafHash, rootFromInclusion, verifyConsistency } from '../../src/proof/merkle.ts';

const LEAVES = ['', '00', '10', '2021', '3031', '40414243', '5051525354555657', '606162636465666768696a6b6c6d6e6f'];
const ROOTS = [
  '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
  'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125',
  'aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77',
  'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
  '4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4',
  '76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef',
  'ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c',
  '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328',
];

async function leaves(n: number): Promise<Uint8Array[]> {
  const out: Uint8Array[] = [];
  for (let i = 0; i < n; i++) {
    out.push(await leafHash(fromHex(LEAVES[i % LEAVES.length]! + (i >= LEAVES.length ? i.toString(16).padStart(2, '0') : ''))));
  }
  return out;
}

test('roots_ofTheReferenceLeaves_matchRfc6962Vectors', async () => {
  const all = await leaves(8);
  for (let n = 1; n <= 8; n++) assert.equal(toHex(await root(all.slice(0, n))), ROOTS[n - 1], `root of ${n}`);
});

test('inclusionPathOfLeaf0InTree8_isTheReferencePath_andLeadsToTheRoot', async () => {
  const all = await leaves(8);
  const p = await path(0, all);
  assert.deepEqual(p.map(toHex), [
    '96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7',
    '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
    '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4',
  ]);
  assert.equal(toHex((await rootFromInclusion(all[0]!, 0n, 8n, p))!), ROOTS[7]);
});

test('everyInclusionProof_upTo37_verifies_andATamperedOrMisplacedOneDoesNot', async () => {
  const all = await leaves(37);
  for (let n = 1; n <= 37; n++) {
    const hashes = all.slice(0, n);
    const expected = toHex(await root(hashes));
    for (let m = 0; m < n; m++) {
      const p = await path(m, hashes);
      assert.equal(toHex((await rootFromInclusion(hashes[m]!, BigInt(m), BigInt(n), p))!), expected, `${m} in ${n}`);
      if (n > 1) {
        const other = await rootFromInclusion(hashes[m]!, BigInt((m + 1) % n), BigInt(n), p);
        assert.notEqual(other && toHex(other), expected, `${m} placed at ${(m + 1) % n} in ${n}`);
      }
      if (p.length > 0) {
        const tampered = p.map((h) => h.slice());
        tampered[0]![0]! ^= 1;
        assert.notEqual(toHex((await rootFromInclusion(hashes[m]!, BigInt(m), BigInt(n), tampered)) ?? new Uint8Array()), expected);
      }
    }
  }
});

test('inclusion_outOfRangeOrWrongLength_isMalformed', async () => {
  const all = await leaves(5);
  const p = await path(2, all);
  assert.equal(await rootFromInclusion(all[2]!, 5n, 5n, p), null);
  assert.equal(await rootFromInclusion(all[2]!, 2n, 5n, [...p, p[0]!]), null);
  assert.equal(await rootFromInclusion(all[2]!, 2n, 5n, p.slice(1)), null);
});

test('everyConsistencyProof_upTo20_verifies_andAWrongRootDoesNot', async () => {
  const all = await leaves(20);
  for (let n = 1; n <= 20; n++) {
    const rootN = await root(all.slice(0, n));
    for (let m = 1; m <= n; m++) {
      const rootM = await root(all.slice(0, m));
      const proof = m === n ? [] : await subproof(m, all.slice(0, n), true);
      assert.ok(await verifyConsistency(BigInt(m), BigInt(n), rootM, rootN, proof), `${m} -> ${n}`);
      if (m < n) assert.ok(!(await verifyConsistency(BigInt(m), BigInt(n), rootN, rootN, proof)), `${m} -> ${n} wrong root`);
    }
  }
});

test('consistency_largeIndices_useBigIntArithmetic', async () => {
  // Past 2^32 the 32-bit bit operators of JavaScript would wrap; the proof is malformed, not a crash.
  const leaf = await leafHash(new Uint8Array());
  assert.equal(await rootFromInclusion(leaf, 2n ** 40n, 2n ** 40n + 1n, []), null);
});

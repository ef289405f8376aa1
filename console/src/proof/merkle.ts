// RFC 9162 (RFC 6962) Merkle tree hashing and proof checking, as the service's audit-log module
// does it (audit-log/.../internal/Merkle.java): leaf = SHA-256(0x00 || data), node =
// SHA-256(0x01 || left || right). Indices are bigints: JavaScript's bit operators are 32-bit.

import { concat, equalBytes, sha256 } from './bytes.ts';

const LEAF = new Uint8Array([0]);
const NODE = new Uint8Array([1]);

/** The leaf hash of an entry's canonical bytes. */
export function leafHash(data: Uint8Array): Promise<Uint8Array> {
  return sha256(concat(LEAF, data));
}

/** The interior node hash of two children. */
export function nodeHash(left: Uint8Array, right: Uint8Array): Promise<Uint8Array> {
  return sha256(concat(NODE, left, right));
}

/**
 * The root an inclusion proof leads to (RFC 9162 §2.1.3.2), or null if the proof is malformed for
 * that index and size.
 */
export async function rootFromInclusion(
  leaf: Uint8Array,
  index: bigint,
  size: bigint,
  path: readonly Uint8Array[],
): Promise<Uint8Array | null> {
  if (index < 0n || index >= size) return null;
  let fn = index;
  let sn = size - 1n;
  let r = leaf;
  for (const p of path) {
    if (sn === 0n) return null;
    if ((fn & 1n) === 1n || fn === sn) {
      r = await nodeHash(p, r);
      if ((fn & 1n) === 0n) {
        while ((fn & 1n) === 0n && fn !== 0n) {
          fn >>= 1n;
          sn >>= 1n;
        }
      }
    } else {
      r = await nodeHash(r, p);
    }
    fn >>= 1n;
    sn >>= 1n;
  }
  return sn === 0n ? r : null;
}

/**
 * Whether the tree of size1 leaves with root1 is a prefix of the tree of size2 leaves with root2
 * (RFC 9162 §2.1.4.2).
 */
export async function verifyConsistency(
  size1: bigint,
  size2: bigint,
  root1: Uint8Array,
  root2: Uint8Array,
  proof: readonly Uint8Array[],
): Promise<boolean> {
  if (size1 < 0n || size2 < size1) return false;
  if (size1 === size2) return proof.length === 0 && equalBytes(root1, root2);
  if (size1 === 0n) return proof.length === 0;
  if (proof.length === 0) return false;
  const path = [...proof];
  if ((size1 & (size1 - 1n)) === 0n) path.unshift(root1); // size1 is a power of two
  let fn = size1 - 1n;
  let sn = size2 - 1n;
  while ((fn & 1n) === 1n) {
    fn >>= 1n;
    sn >>= 1n;
  }
  let fr = path[0]!;
  let sr = path[0]!;
  for (const c of path.slice(1)) {
    if (sn === 0n) return false;
    if ((fn & 1n) === 1n || fn === sn) {
      fr = await nodeHash(c, fr);
      sr = await nodeHash(c, sr);
      if ((fn & 1n) === 0n) {
        while ((fn & 1n) === 0n && fn !== 0n) {
          fn >>= 1n;
          sn >>= 1n;
        }
      }
    } else {
      sr = await nodeHash(sr, c);
    }
    fn >>= 1n;
    sn >>= 1n;
  }
  return sn === 0n && equalBytes(fr, root1) && equalBytes(sr, root2);
}

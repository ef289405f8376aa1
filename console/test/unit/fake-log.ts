// A small audit log for the proof tests: entries with their leaves, RFC 9162 trees built by the
// recursive definitions, and checkpoints signed with node:crypto's Ed25519 in the service's
// signed-note format.
import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { concat, sha256, toBase64, toHex } from '../../src/proof/bytes.ts';
import { encodeEntry, fieldsFromView, type AuditEntryView } from '../../src/proof/leaf.ts';
import { leafHash, nodeHash } from '../../src/proof/merkle.ts';
import { keyIdOf } from '../../src/proof/note.ts';
import type { CheckpointView, ProofSource } from '../../src/proof/prove.ts';

const split = (n: number) => 2 ** Math.floor(Math.log2(n - 1));

/** MTH (RFC 9162 §2.1.1). */
export async function root(hashes: Uint8Array[]): Promise<Uint8Array> {
  if (hashes.length === 0) return sha256(new Uint8Array());
  if (hashes.length === 1) return hashes[0]!;
  const k = split(hashes.length);
  return nodeHash(await root(hashes.slice(0, k)), await root(hashes.slice(k)));
}

/** PATH (RFC 9162 §2.1.3.1). */
export async function path(m: number, hashes: Uint8Array[]): Promise<Uint8Array[]> {
  if (hashes.length <= 1) return [];
  const k = split(hashes.length);
  return m < k
    ? [...(await path(m, hashes.slice(0, k))), await root(hashes.slice(k))]
    : [...(await path(m - k, hashes.slice(k))), await root(hashes.slice(0, k))];
}

/** SUBPROOF (RFC 9162 §2.1.4.1). */
export async function subproof(m: number, hashes: Uint8Array[], complete: boolean): Promise<Uint8Array[]> {
  const n = hashes.length;
  if (m === n) return complete ? [] : [await root(hashes)];
  const k = split(n);
  return m <= k
    ? [...(await subproof(m, hashes.slice(0, k), complete)), await root(hashes.slice(k))]
    : [...(await subproof(m - k, hashes.slice(k), false)), await root(hashes.slice(0, k))];
}

export interface Signer {
  name: string;
  verifierKey: string;
  signNote(text: string): string;
}

/** A fresh Ed25519 signer named `name`, as CheckpointSigner signs. */
export async function signer(name: string): Promise<Signer> {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const raw = new Uint8Array(Buffer.from(publicKey.export({ format: 'jwk' }).x!, 'base64url'));
  const keyId = await keyIdOf(name, raw);
  return {
    name,
    verifierKey: `${name}+${toHex(keyId)}+${toBase64(concat(new Uint8Array([1]), raw))}`,
    signNote: (text) => signWith(privateKey, keyId, name, text),
  };
}

function signWith(key: KeyObject, keyId: Uint8Array, name: string, text: string): string {
  const signature = new Uint8Array(sign(null, Buffer.from(text, 'utf8'), key));
  return `${text}\n\u2014 ${name} ${toBase64(concat(keyId, signature))}\n`;
}

export const TENANT = 'acme';

/** Entry `seq` as the API would answer it (salted, some with a body). */
export function entry(seq: number): AuditEntryView {
  return {
    seq,
    recorded_at: `2026-03-0${1 + (seq % 9)}T12:00:00.${String(100000 + seq).slice(1)}Z`,
    actor: `agent-${seq % 3}`,
    actor_role: null,
    subject: `user-${seq}`,
    action: seq % 2 ? 'read' : 'consent_given',
    purpose: 'email_marketing',
    legal_basis: null,
    categories: seq % 2 ? ['user.contact.email'] : [],
    recipient: null,
    request_id: null,
    outcome: 'success',
    submitted_by: seq % 2 ? 'https://id.example|orders' : null,
    body_state: seq % 3 === 0 ? 'present' : 'none',
    leaf_hash: '',
    leaf_salt: toHex(new Uint8Array(16).fill(seq)),
    body_hash: seq % 3 === 0 ? toHex(new Uint8Array(32).fill(0xa0 + (seq % 16))) : null,
  };
}

export interface FakeLog {
  entries: AuditEntryView[];
  leaves: Uint8Array[];
  checkpoint(size: number): Promise<CheckpointView>;
  /** A source whose proofs are against a checkpoint of `proofSize` and whose latest is `latestSize`. */
  source(proofSize: number, latestSize: number, change?: Partial<Overrides>): ProofSource;
}

interface Overrides {
  latest: () => Promise<CheckpointView>;
  inclusionCheckpoint: (size: number) => Promise<CheckpointView>;
}

export async function fakeLog(size: number, by: Signer, origin = 'audit.example.com/log'): Promise<FakeLog> {
  const entries: AuditEntryView[] = [];
  const leaves: Uint8Array[] = [];
  for (let seq = 0; seq < size; seq++) {
    const view = entry(seq);
    const fields = fieldsFromView(view, TENANT);
    if (!('fields' in fields)) throw new Error('fake entry lacks fields');
    const leaf = await leafHash(encodeEntry(fields.fields));
    view.leaf_hash = toHex(leaf);
    entries.push(view);
    leaves.push(leaf);
  }
  const checkpoint = async (n: number): Promise<CheckpointView> => {
    const r = await root(leaves.slice(0, n));
    const note = by.signNote(`${origin}\n${n}\n${toBase64(r)}\n`);
    return { origin, size: n, root: toHex(r), note, verifier_key: by.verifierKey };
  };
  return {
    entries,
    leaves,
    checkpoint,
    source: (proofSize, latestSize, change = {}) => ({
      async inclusion(seq) {
        return {
          seq,
          tree_size: proofSize,
          leaf_hash: toHex(leaves[seq]!),
          path: (await path(seq, leaves.slice(0, proofSize))).map(toHex),
          checkpoint: await (change.inclusionCheckpoint ?? checkpoint)(proofSize),
        };
      },
      checkpoint: change.latest ?? (() => checkpoint(latestSize)),
      async consistency(from, to) {
        return { from, to, path: (await subproof(from, leaves.slice(0, to), true)).map(toHex) };
      },
    }),
  };
}

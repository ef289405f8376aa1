// The top-level half of a proof in a sharded log. Each shard is its own tree with its own signed
// checkpoints; the top-level log records every shard checkpoint as an ordinary audit entry
// (audit-log/.../ShardCheckpointEntry.java), and witnesses cosign the top-level log, so one
// top-level checkpoint pins every shard. The checks are those of ShardProof.verifyOffline, with the
// shard checkpoint already verified with the pinned key standing for what the auditor trusts.

import { equalBytes, fromHex, toHex } from './bytes.ts';
import { encodeEntry, instantMicros, type LeafFields } from './leaf.ts';
import { leafHash, rootFromInclusion } from './merkle.ts';
import { unverifiedBody, verifyNote, type CheckpointBody, type VerifierKey } from './note.ts';
import type { AddStep, InclusionView } from './prove.ts';

/** The `top` object of a sharded log's inclusion proof. */
export interface TopView {
  /** The top-level log's origin, as the server names it. */
  origin: string;
  /** The top-level entry that records the shard checkpoint. */
  seq: number;
  tree_size: number;
  leaf_hash: string;
  path: string[];
  recorded_at: string;
  /** Hex of that entry's 16-byte leaf salt. */
  salt: string;
  shard_origin: string;
  /** Hex of the shard's root at the proof's tree_size. */
  shard_root: string;
  /** The top-level checkpoint (a C2SP signed note) the path leads to. */
  checkpoint: string;
}

const TOP_SUFFIX = '/top';

/** Shard `shard`'s origin in the log of origin `base`: shard 0 keeps the log's own. */
export function shardOrigin(base: string, shard: number): string {
  return shard === 0 ? base : `${base}/shard/${shard}`;
}

/** The log's origin from shard `shard`'s origin, or null when that origin does not name the shard. */
export function baseOrigin(origin: string, shard: number): string | null {
  if (shard === 0) return origin;
  const suffix = `/shard/${shard}`;
  return origin.endsWith(suffix) && origin.length > suffix.length ? origin.slice(0, -suffix.length) : null;
}

/**
 * The fields of the top-level entry recording shard `shard`'s checkpoint of `size` entries: tenant
 * `_system`, actor `privacykit:shard:<shard>`, action SHARD_CHECKPOINT, the shard's origin as
 * recipient and `<size>:<root in lower-case hex>` as request id, nothing else but seq, time and salt.
 */
export function shardCheckpointFields(shard: number, size: bigint, root: Uint8Array, top: TopView): LeafFields {
  return {
    seq: BigInt(top.seq),
    recordedAtMicros: instantMicros(top.recorded_at),
    tenant: '_system',
    actor: `privacykit:shard:${shard}`,
    actorRole: null,
    subject: null,
    action: 'SHARD_CHECKPOINT',
    purpose: null,
    legalBasis: null,
    categories: null,
    recipient: top.shard_origin,
    requestId: `${size}:${toHex(root)}`,
    outcome: 'SUCCESS',
    submittedBy: null,
    bodyHash: null,
    salt: hex(top.salt, 'salt'),
  };
}

/**
 * Checks that the shard checkpoint the proof is against (`shardBody`, verified with the pinned key
 * unless there is none) is pinned by a top-level checkpoint signed with the same key. Adds one step
 * per check; never throws.
 */
export async function checkTop(
  proof: InclusionView,
  top: TopView,
  shardBody: CheckpointBody | null,
  key: VerifierKey | null,
  add: AddStep,
): Promise<void> {
  const n = proof.shard;
  if (n === undefined || !Number.isSafeInteger(n) || n < 0) {
    add('shard-origin', 'Shard origin', 'fail', `the proof has a top-level half but names no shard (shard: ${String(n)})`);
    return;
  }
  const malformed = malformedFields(top);
  if (malformed.length > 0) {
    add('top-leaf', 'Top-level leaf recomputed in this browser', 'fail', `the proof's top-level half is malformed: ${malformed.join(', ')}`);
    return;
  }
  if (!shardBody) {
    add('shard-origin', `Shard origin (shard ${n})`, 'skip', 'not checked: the shard checkpoint did not verify');
    return;
  }

  // The shard's origin names this shard, and is the one the top-level entry records.
  const base = baseOrigin(shardBody.origin, n);
  if (base === null) {
    add('shard-origin', `Shard origin (shard ${n})`, 'fail', `the shard checkpoint is of ${shardBody.origin}, which does not name shard ${n} (<log>/shard/${n})`);
  } else if (top.shard_origin !== shardBody.origin) {
    add('shard-origin', `Shard origin (shard ${n})`, 'fail', `the top-level entry records ${top.shard_origin}, the signed shard checkpoint is of ${shardBody.origin}`);
  } else {
    add('shard-origin', `Shard origin (shard ${n})`, 'pass', `shard ${n} of ${base}: the signed shard checkpoint and the top-level entry are both of ${shardBody.origin}`);
  }

  // The top-level checkpoint: signed with the pinned key, of the top-level log of this shard's log.
  const topBody = await topCheckpoint(top, base, key, add);

  // The shard checkpoint the top-level entry records is the signed one the proof is against.
  const rootTitle = 'Shard checkpoint recorded in the top-level log';
  let shardRoot: Uint8Array | null = null;
  try {
    shardRoot = hex(top.shard_root, 'shard_root');
  } catch (e) {
    add('shard-root', rootTitle, 'fail', (e as Error).message);
  }
  if (shardRoot) {
    const same = shardBody.size === BigInt(proof.tree_size) && equalBytes(shardRoot, shardBody.root);
    add(
      'shard-root',
      rootTitle,
      same ? 'pass' : 'fail',
      same
        ? `the top-level entry records the signed shard checkpoint: size ${shardBody.size}, root ${toHex(shardBody.root)}`
        : `the signed shard checkpoint has size ${shardBody.size}, root ${toHex(shardBody.root)}; the top-level entry records size ${proof.tree_size}, root ${toHex(shardRoot)}`,
    );
  }

  // The top-level leaf, from the shard checkpoint alone plus the entry's seq, time and salt.
  const leafTitle = 'Top-level leaf recomputed in this browser';
  let leaf: Uint8Array | null = null;
  try {
    if (!shardRoot) throw new Error('not recomputed: the shard root is unreadable');
    leaf = await leafHash(encodeEntry(shardCheckpointFields(n, BigInt(proof.tree_size), shardRoot, top)));
    const stored = hex(top.leaf_hash, 'leaf_hash');
    const same = equalBytes(leaf, stored);
    add(
      'top-leaf',
      leafTitle,
      same ? 'pass' : 'fail',
      same
        ? `calculated ${toHex(leaf)} for top-level entry ${top.seq} (privacykit:shard:${n} recorded ${proof.tree_size}:${toHex(shardRoot)}), the same as the top-level log's stored leaf`
        : `calculated ${toHex(leaf)} for shard ${n}'s checkpoint ${proof.tree_size}:${toHex(shardRoot)}, stored in the top-level log ${top.leaf_hash}: top-level entry ${top.seq} does not record this shard checkpoint`,
    );
  } catch (e) {
    add('top-leaf', leafTitle, 'fail', (e as Error).message);
  }

  if (!topBody) return;
  const sizeOk = topBody.size === BigInt(top.tree_size);
  add(
    'top-size',
    'Top-level checkpoint size',
    sizeOk ? 'pass' : 'fail',
    sizeOk
      ? `the top-level proof and checkpoint are both for ${topBody.size} entries`
      : `the top-level proof is for tree size ${top.tree_size}, the top-level checkpoint is for ${topBody.size}`,
  );
  const pathTitle = 'Top-level inclusion path to the top-level root (SHA-256)';
  if (!leaf) {
    add('top-path', pathTitle, 'skip', 'not checked: the top-level leaf could not be recomputed');
    return;
  }
  let root: Uint8Array | null;
  try {
    root = await rootFromInclusion(leaf, BigInt(top.seq), BigInt(top.tree_size), top.path.map((p) => hex(p, 'path')));
  } catch {
    root = null;
  }
  const rootOk = root !== null && equalBytes(root, topBody.root);
  add(
    'top-path',
    pathTitle,
    rootOk ? 'pass' : 'fail',
    rootOk
      ? `calculated ${toHex(root!)}, the top-level checkpoint's root`
      : `calculated ${root === null ? '(malformed path)' : toHex(root)}, top-level checkpoint ${toHex(topBody.root)}`,
  );
}

/** The top-level checkpoint's body once its signature and origin are checked, or null. */
async function topCheckpoint(top: TopView, base: string | null, key: VerifierKey | null, add: AddStep): Promise<CheckpointBody | null> {
  const title = 'Top-level checkpoint signature and origin (Ed25519, WebCrypto)';
  let body: CheckpointBody;
  try {
    body = key ? await verifyNote(top.checkpoint, key) : unverifiedBody(top.checkpoint);
  } catch (e) {
    add('top-signature', title, 'fail', `the top-level checkpoint: ${(e as Error).message}`);
    return null;
  }
  const signed = key ? `signed by ${key.name}: ${body.origin}, size ${body.size}` : `${body.origin}, size ${body.size}, signature not checked`;
  const expected = base === null ? null : base + TOP_SUFFIX;
  if (expected !== null && body.origin !== expected) {
    add('top-signature', title, 'fail', `${signed}; expected the top-level log of ${base}, ${expected}`);
  } else if (top.origin !== body.origin) {
    add('top-signature', title, 'fail', `${signed}; the proof names the top-level log ${top.origin}`);
  } else if (!key) {
    add('top-signature', title, 'skip', `not checked: no pinned key this browser can use (${body.origin}, size ${body.size})`);
  } else if (expected === null) {
    add('top-signature', title, 'skip', `${signed}; its origin not checked: the shard's origin names no log`);
  } else {
    add('top-signature', title, 'pass', `${signed}, the top-level log of ${base}`);
  }
  return body;
}

/** The names of the top-level fields that are not of their type. */
function malformedFields(top: TopView): string[] {
  const count = (v: unknown) => Number.isSafeInteger(v) && (v as number) >= 0;
  const text = (v: unknown) => typeof v === 'string';
  const checks: Record<keyof TopView, (v: unknown) => boolean> = {
    origin: text,
    seq: count,
    tree_size: count,
    leaf_hash: text,
    path: (v) => Array.isArray(v) && v.every(text),
    recorded_at: text,
    salt: text,
    shard_origin: text,
    shard_root: text,
    checkpoint: text,
  };
  return Object.entries(checks).filter(([name, ok]) => !ok((top as unknown as Record<string, unknown>)[name])).map(([name]) => name);
}

function hex(text: string, what: string): Uint8Array {
  try {
    return fromHex(text);
  } catch {
    throw new Error(`the top-level ${what} is not hex: ${text}`);
  }
}

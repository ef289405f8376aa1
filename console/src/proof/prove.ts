// Proves in the browser that an audit entry is in the log, trusting neither the server's hashes
// nor its key: recompute the entry's leaf from its fields, follow the inclusion path to a root,
// check that root is in a checkpoint signed by the key the operator pinned, in a sharded log check
// that checkpoint is pinned by the top-level log (shard.ts), and check the latest signed checkpoint
// extends it (consistency proof, latest.ts). Every step says what it calculated.

import { equalBytes, fromHex, toHex } from './bytes.ts';
import { encodeEntry, fieldsFromView, type AuditEntryView } from './leaf.ts';
import { checkLatest } from './latest.ts';
import { leafHash, rootFromInclusion } from './merkle.ts';
import {
  hasWebCryptoEd25519,
  parseVerifierKey,
  unverifiedBody,
  verifyNote,
  type CheckpointBody,
  type VerifierKey,
} from './note.ts';
import { checkTop, type TopView } from './shard.ts';

export interface CheckpointView {
  origin: string;
  size: number;
  root: string;
  note: string;
  verifier_key: string;
}

export interface InclusionView {
  seq: number;
  tree_size: number;
  leaf_hash: string;
  path: string[];
  /** The signed checkpoint of the entry's tree: its shard's, when the log is sharded. */
  checkpoint: CheckpointView;
  /** Sharded logs only: the shard holding the entry. */
  shard?: number;
  /** Sharded logs only: the shard checkpoint's entry in the top-level log, and its proof. */
  top?: TopView;
}

export interface ConsistencyView {
  from: number;
  to: number;
  path: string[];
}

/** Where the proof material comes from: the API, or a fake in tests. */
export interface ProofSource {
  inclusion(seq: number): Promise<InclusionView>;
  checkpoint(): Promise<CheckpointView>;
  consistency(from: number, to: number): Promise<ConsistencyView>;
}

export type StepState = 'pass' | 'fail' | 'warn' | 'skip';
export type Verdict = 'proven' | 'failed' | 'unproven';

export interface Step {
  id:
    | 'key'
    | 'fetch'
    | 'leaf'
    | 'signature'
    | 'size'
    | 'path'
    // A sharded log's top-level half (shard.ts).
    | 'shard-origin'
    | 'top-signature'
    | 'shard-root'
    | 'top-leaf'
    | 'top-size'
    | 'top-path'
    | 'server-key'
    | 'latest'
    | 'consistency';
  title: string;
  state: StepState;
  detail: string;
}

export type AddStep = (id: Step['id'], title: string, state: StepState, detail: string) => void;

export interface ProofReport {
  seq: number;
  /** The shard holding the entry, when the log is sharded. */
  shard?: number;
  verdict: Verdict;
  summary: string;
  steps: Step[];
}

export interface ProveOptions {
  /** The token's tenant, used when the API's entry does not name its own. */
  tokenTenant: string | null;
  /** The verifier key the operator pinned, or '' when none is. */
  pinnedKey: string;
  source: ProofSource;
}

/** Checks one entry; never throws (a failure to fetch is an unproven report). */
export async function proveEntry(entry: AuditEntryView, options: ProveOptions): Promise<ProofReport> {
  const steps: Step[] = [];
  const add: AddStep = (id, title, state, detail) => steps.push({ id, title, state, detail });
  let unprovable: string | null = null;

  let key: VerifierKey | null = null;
  if (options.pinnedKey.trim() === '') {
    unprovable = 'not pinned: cannot prove (pin the verifier key in Settings)';
    add('key', 'Pinned verifier key', 'skip', unprovable);
  } else {
    try {
      key = await parseVerifierKey(options.pinnedKey);
      if (await hasWebCryptoEd25519()) {
        add('key', 'Pinned verifier key', 'pass', `${key.name} (key id ${toHex(key.keyId)})`);
      } else {
        key = null;
        unprovable = "this browser's WebCrypto has no Ed25519 (Chrome 137+, Firefox 129+, Safari 17+ have it), so signatures cannot be checked";
        add('key', 'Pinned verifier key', 'warn', unprovable);
      }
    } catch (e) {
      unprovable = `the pinned verifier key is unusable: ${(e as Error).message}`;
      add('key', 'Pinned verifier key', 'fail', unprovable);
    }
  }

  let proof: InclusionView;
  try {
    proof = await options.source.inclusion(entry.seq);
  } catch (e) {
    add('fetch', 'Inclusion proof', 'fail', `could not fetch it: ${(e as Error).message}`);
    return report(entry.seq, steps, `could not fetch the inclusion proof: ${(e as Error).message}`);
  }

  // 1. The leaf, from the entry's own fields.
  let leaf: Uint8Array;
  const fields = fieldsFromView(entry, options.tokenTenant);
  const proofLeaf = fromHex(proof.leaf_hash);
  if ('fields' in fields) {
    leaf = await leafHash(encodeEntry(fields.fields));
    add(
      'leaf',
      'Leaf recomputed in this browser',
      equalBytes(leaf, proofLeaf) ? 'pass' : 'fail',
      equalBytes(leaf, proofLeaf)
        ? `calculated ${toHex(leaf)}, the same as the log's stored leaf`
        : `calculated ${toHex(leaf)}, stored in the log ${proof.leaf_hash}: the entry's fields were changed`,
    );
  } else {
    leaf = fromHex(entry.leaf_hash);
    unprovable ??= `the API's entry lacks ${fields.missing.join(', ')}, so its leaf cannot be recomputed here`;
    add(
      'leaf',
      'Leaf recomputed in this browser',
      equalBytes(leaf, proofLeaf) ? 'warn' : 'fail',
      `cannot recompute: the API's entry lacks ${fields.missing.join(', ')}; the server's leaf for the row is ${entry.leaf_hash}` +
        (equalBytes(leaf, proofLeaf) ? '' : `, the log's stored leaf ${proof.leaf_hash}: the row was changed`),
    );
  }

  // 2. The checkpoint the proof is against: signed by the pinned key, of the proof's size.
  let body: CheckpointBody | null = null;
  try {
    if (key) {
      body = await verifyNote(proof.checkpoint.note, key);
      add('signature', 'Checkpoint signature (Ed25519, WebCrypto)', 'pass', `signed by ${key.name}: ${body.origin}, size ${body.size}`);
    } else {
      body = unverifiedBody(proof.checkpoint.note);
      add('signature', 'Checkpoint signature (Ed25519, WebCrypto)', 'skip', 'not checked: no pinned key this browser can use');
    }
  } catch (e) {
    add('signature', 'Checkpoint signature (Ed25519, WebCrypto)', 'fail', (e as Error).message);
  }
  if (body) {
    const sizeOk = body.size === BigInt(proof.tree_size);
    add(
      'size',
      'Checkpoint size',
      sizeOk ? 'pass' : 'fail',
      sizeOk
        ? `the proof and the checkpoint are both for ${body.size} entries`
        : `the proof is for tree size ${proof.tree_size}, the checkpoint is for ${body.size}`,
    );
    const root = await rootFromInclusion(leaf, BigInt(entry.seq), BigInt(proof.tree_size), proof.path.map(fromHex));
    const rootOk = root !== null && equalBytes(root, body.root);
    add(
      'path',
      'Inclusion path to the checkpoint root (SHA-256)',
      rootOk ? 'pass' : 'fail',
      rootOk
        ? `calculated ${toHex(root!)}, the checkpoint's root`
        : `calculated ${root === null ? '(malformed path)' : toHex(root)}, checkpoint ${toHex(body.root)}`,
    );
  }

  // 3. A sharded log: the shard checkpoint is pinned by the top-level log.
  const sharded = proof.top ? { shard: proof.shard, top: proof.top } : null;
  if (sharded) await checkTop(proof, sharded.top, body, key, add);

  // 4. What the server says its key is: shown, never trusted.
  const announced = proof.checkpoint.verifier_key;
  if (!key) {
    add('server-key', "Server's verifier key", 'skip', `the server announces ${announced}: compare it with the key you got out of band before pinning it`);
  } else if (announced === key.text) {
    add('server-key', "Server's verifier key", 'pass', 'the server announces the pinned key');
  } else {
    add('server-key', "Server's verifier key", 'warn', `the server announces a different key, ${announced}: not trusted`);
  }

  // 5. The latest signed checkpoint (of the entry's shard, when sharded) extends the proof's one.
  if (body) {
    const latestProblem = await checkLatest(options.source, key, body, add);
    unprovable ??= latestProblem;
  }

  return report(entry.seq, steps, unprovable, body, sharded);
}

function report(
  seq: number,
  steps: Step[],
  unprovable: string | null,
  body?: CheckpointBody | null,
  sharded?: { shard: number | undefined; top: TopView } | null,
): ProofReport {
  const shard = sharded?.shard === undefined ? {} : { shard: sharded.shard };
  const entry = sharded ? `Entry ${seq} (shard ${sharded.shard ?? '?'})` : `Entry ${seq}`;
  const failed = steps.find((s) => s.state === 'fail' && s.id !== 'key' && s.id !== 'fetch');
  if (failed) {
    return { seq, ...shard, verdict: 'failed', summary: `${entry} does NOT verify: ${failed.title}: ${failed.detail}`, steps };
  }
  if (unprovable !== null) {
    return { seq, ...shard, verdict: 'unproven', summary: `${entry} not proven: ${unprovable}`, steps };
  }
  if (sharded) {
    return {
      seq,
      ...shard,
      verdict: 'proven',
      summary:
        `Entry ${seq} is in shard ${sharded.shard} of the log: its leaf, recomputed here, leads to the root of the ${body?.size}-entry shard checkpoint, ` +
        `which top-level entry ${sharded.top.seq} records under the ${sharded.top.tree_size}-entry top-level checkpoint; both signed with the pinned key.`,
      steps,
    };
  }
  return {
    seq,
    verdict: 'proven',
    summary: `Entry ${seq} is in the log: its leaf, recomputed here, leads to the root of the ${body?.size}-entry checkpoint signed with the pinned key.`,
    steps,
  };
}

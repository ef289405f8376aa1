// The last step of a proof: the latest signed checkpoint of the entry's tree (its shard's, when the
// log is sharded) is, or extends, the checkpoint the inclusion proof is against (RFC 9162 §2.1.4).

import { equalBytes, fromHex, toHex } from './bytes.ts';
import { verifyConsistency } from './merkle.ts';
import { unverifiedBody, verifyNote, type CheckpointBody, type VerifierKey } from './note.ts';
import type { AddStep, CheckpointView, ConsistencyView, ProofSource } from './prove.ts';

/** Adds the latest and consistency steps; returns why the entry is not proven, or null. */
export async function checkLatest(
  source: ProofSource,
  key: VerifierKey | null,
  proven: CheckpointBody,
  add: AddStep,
): Promise<string | null> {
  let view: CheckpointView;
  try {
    view = await source.checkpoint();
  } catch (e) {
    add('latest', 'Latest checkpoint', 'warn', `could not fetch it: ${(e as Error).message}`);
    return `could not fetch the latest checkpoint: ${(e as Error).message}`;
  }
  let latest: CheckpointBody;
  try {
    latest = key ? await verifyNote(view.note, key) : unverifiedBody(view.note);
    add('latest', 'Latest checkpoint', key ? 'pass' : 'skip', `size ${latest.size}${key ? `, signed by ${key.name}` : ', signature not checked'}`);
  } catch (e) {
    add('latest', 'Latest checkpoint', 'fail', (e as Error).message);
    return null;
  }
  const title = 'Consistency with the latest checkpoint';
  if (latest.size === proven.size) {
    const same = equalBytes(latest.root, proven.root);
    add(
      'consistency',
      title,
      same ? 'pass' : 'fail',
      same
        ? 'the latest checkpoint is the one the proof is against'
        : `two checkpoints of size ${latest.size} with different roots: ${toHex(latest.root)} and ${toHex(proven.root)}`,
    );
    return null;
  }
  const [older, newer] = latest.size < proven.size ? [latest, proven] : [proven, latest];
  let consistency: ConsistencyView;
  try {
    consistency = await source.consistency(Number(older.size), Number(newer.size));
  } catch (e) {
    add('consistency', title, 'warn', `could not fetch it: ${(e as Error).message}`);
    return `could not fetch the consistency proof: ${(e as Error).message}`;
  }
  const ok = await verifyConsistency(older.size, newer.size, older.root, newer.root, consistency.path.map(fromHex));
  add(
    'consistency',
    title,
    ok ? 'pass' : 'fail',
    ok
      ? `the tree of ${older.size} entries is a prefix of the tree of ${newer.size}`
      : `the consistency proof from ${older.size} to ${newer.size} does not lead to both roots`,
  );
  return null;
}

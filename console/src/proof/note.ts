// C2SP signed notes holding C2SP tlog-checkpoints, Ed25519-signed, as the service writes them
// (audit-log/.../Checkpoint.java and CheckpointSigner.java). A verifier key is
// name+keyid+base64(0x01 || 32-byte public key), the key id being the first 4 bytes of
// SHA-256(name || "\n" || 0x01 || public key); a signature line is "— name base64(keyid || sig)".

import { concat, equalBytes, fromBase64, fromHex, sha256, toHex, utf8 } from './bytes.ts';

/** A parsed, self-consistent verifier key. */
export interface VerifierKey {
  name: string;
  keyId: Uint8Array;
  publicKey: Uint8Array;
  /** The key as text, trimmed. */
  text: string;
}

/** A checkpoint's body: the log's origin, size and root hash. */
export interface CheckpointBody {
  origin: string;
  size: bigint;
  root: Uint8Array;
}

/** Why a key or note is refused, in words an operator can act on. */
export class NoteError extends Error {
  override name = 'NoteError';
}

const ED25519_TYPE = 0x01;
const RFC8032_TEST1_PUBLIC_KEY = 'd75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a';

/** The verifier key in text, checked: its form, its type byte and that its id matches. */
export async function parseVerifierKey(text: string): Promise<VerifierKey> {
  const trimmed = text.trim();
  // The name holds no '+'; the base64 may (split at the first two only, as the service does).
  const first = trimmed.indexOf('+');
  const second = trimmed.indexOf('+', first + 1);
  if (first <= 0 || second < 0) {
    throw new NoteError('a verifier key is name+keyid+base64(key)');
  }
  const name = trimmed.slice(0, first);
  const keyIdHex = trimmed.slice(first + 1, second);
  const keyBase64 = trimmed.slice(second + 1);
  let keyId: Uint8Array;
  let typed: Uint8Array;
  try {
    keyId = fromHex(keyIdHex);
    typed = fromBase64(keyBase64);
  } catch {
    throw new NoteError('a verifier key is name+keyid+base64(key): the key id is 8 hex digits');
  }
  if (keyId.length !== 4 || typed.length !== 33 || typed[0] !== ED25519_TYPE) {
    throw new NoteError('this verifier key is not an Ed25519 signed-note key');
  }
  const publicKey = typed.slice(1);
  const expected = await keyIdOf(name, publicKey);
  if (!equalBytes(expected, keyId)) {
    throw new NoteError(
      `the verifier key's id does not match its name and key: calculated ${toHex(expected)}, provided ${keyIdHex}`,
    );
  }
  return { name, keyId, publicKey, text: trimmed };
}

/** The 4-byte key id of a named Ed25519 key. */
export async function keyIdOf(name: string, publicKey: Uint8Array): Promise<Uint8Array> {
  const digest = await sha256(concat(utf8(`${name}\n`), new Uint8Array([ED25519_TYPE]), publicKey));
  return digest.slice(0, 4);
}

/**
 * Checks that a signature line by `key` verifies over the note's text, and returns the checkpoint
 * body. Throws NoteError saying what does not hold.
 */
export async function verifyNote(note: string, key: VerifierKey): Promise<CheckpointBody> {
  return parseCheckpointBody(await openNote(note, key));
}

/** The text of a signed note once a signature line by `key` verifies over it. */
export async function openNote(note: string, key: VerifierKey): Promise<string> {
  const split = note.indexOf('\n\n');
  if (split < 0) throw new NoteError('the checkpoint note has no signature block');
  const text = note.slice(0, split + 1);
  const prefix = `\u2014 ${key.name} `;
  const publicKey = await importEd25519(key.publicKey);
  let lines = 0;
  for (const line of note.slice(split + 2).split('\n')) {
    if (!line.startsWith(prefix)) continue;
    lines++;
    let blob: Uint8Array;
    try {
      blob = fromBase64(line.slice(prefix.length));
    } catch {
      continue;
    }
    if (blob.length !== 68 || !equalBytes(blob.slice(0, 4), key.keyId)) continue;
    const ok = await crypto.subtle.verify(
      { name: 'Ed25519' },
      publicKey,
      blob.slice(4) as BufferSource,
      utf8(text) as BufferSource,
    );
    if (ok) return text;
  }
  throw new NoteError(
    lines === 0
      ? `the checkpoint note has no signature by ${key.name}`
      : `the checkpoint signature by ${key.name} does not verify with the pinned key`,
  );
}

/** The origin, size and root of a checkpoint's text (its signature not checked). */
export function parseCheckpointBody(text: string): CheckpointBody {
  const lines = text.split('\n');
  if (lines.length < 3) throw new NoteError('a checkpoint has origin, size and root lines');
  const [origin, sizeText, rootText] = lines as [string, string, string];
  let root: Uint8Array;
  try {
    root = fromBase64(rootText);
  } catch {
    throw new NoteError('the checkpoint root is not base64');
  }
  if (!/^(0|[1-9]\d*)$/.test(sizeText) || root.length !== 32) {
    throw new NoteError('the checkpoint size or root is malformed');
  }
  return { origin, size: BigInt(sizeText), root };
}

/** The checkpoint body of a note whose signature is not checked (for display only). */
export function unverifiedBody(note: string): CheckpointBody {
  const split = note.indexOf('\n\n');
  return parseCheckpointBody(split < 0 ? note : note.slice(0, split + 1));
}

/** Whether this browser's WebCrypto has Ed25519 (Chrome 137+, Firefox 129+, Safari 17+). */
export async function hasWebCryptoEd25519(): Promise<boolean> {
  try {
    await importEd25519(fromHex(RFC8032_TEST1_PUBLIC_KEY));
    return true;
  } catch {
    return false;
  }
}

async function importEd25519(publicKey: Uint8Array): Promise<CryptoKey> {
  try {
    return await crypto.subtle.importKey('raw', publicKey as BufferSource, { name: 'Ed25519' }, false, [
      'verify',
    ]);
  } catch (e) {
    throw new NoteError(
      `this browser's WebCrypto cannot import an Ed25519 key (${(e as Error).name}): use Chrome 137+, Firefox 129+ or Safari 17+`,
    );
  }
}

// An independent reader of C2SP tlog-tiles, in another language, to prove the exported tiles
// interoperate: checks the checkpoint's Ed25519 signature with the verifier key, recomputes the
// tree's root from the tiles alone (RFC 6962), and prints "ok <size> <root hex>".
//   node tiles-verify.mjs DIR VERIFIER_KEY
import { createHash, createPublicKey, verify } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const [dir, verifierKey] = process.argv.slice(2);
const sha256 = (...parts) => createHash('sha256').update(Buffer.concat(parts)).digest();
const node = (l, r) => sha256(Buffer.from([1]), l, r);

const note = readFileSync(join(dir, 'checkpoint'), 'utf8');
const split = note.indexOf('\n\n');
const body = note.slice(0, split + 1);
const [origin, sizeLine, rootLine] = body.split('\n');
const size = BigInt(sizeLine);
// name+keyid+base64(key): the base64 may hold '+', so split at the first two only
const first = verifierKey.indexOf('+');
const second = verifierKey.indexOf('+', first + 1);
const [name, keyIdHex, keyB64] = [verifierKey.slice(0, first), verifierKey.slice(first + 1, second), verifierKey.slice(second + 1)];
const typed = Buffer.from(keyB64, 'base64');
if (typed[0] !== 1) throw new Error('not an Ed25519 signed-note key');
const key = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: typed.subarray(1).toString('base64url') }, format: 'jwk' });
const signed = note.slice(split + 2).split('\n').filter((l) => l.startsWith(`\u2014 ${name} `)).some((l) => {
  const blob = Buffer.from(l.slice(`\u2014 ${name} `.length), 'base64');
  return blob.length === 68 && blob.subarray(0, 4).toString('hex') === keyIdHex
    && verify(null, Buffer.from(body), key, blob.subarray(4));
});
if (!signed) { console.log('bad signature'); process.exit(1); }

const tilePath = (level, index, width) => {
  let digits = index.toString();
  const groups = Math.max(1, Math.ceil(digits.length / 3));
  digits = digits.padStart(groups * 3, '0');
  const parts = [];
  for (let g = 0; g < groups; g++) parts.push((g < groups - 1 ? 'x' : '') + digits.slice(g * 3, g * 3 + 3));
  return join(dir, 'tile', String(level), ...parts) + (width < 256 ? `.p/${width}` : '');
};
const files = new Map();
const read = (path) => {
  if (!files.has(path)) files.set(path, readFileSync(path));
  return files.get(path);
};
const hashAt = (level, index) => {
  let count = size;
  for (let i = 0; i < level; i++) count /= 256n;
  const tile = index / 256n;
  const width = tile < count / 256n ? 256 : Number(count % 256n);
  const bytes = read(tilePath(level, tile, width));
  const at = Number(index % 256n) * 32;
  return bytes.subarray(at, at + 32);
};
const mth = (start, end) => {
  const n = end - start;
  if (n === 1n) return hashAt(0, start);
  // a perfect subtree of 256^l leaves is one hash at level l
  for (let level = 3; level >= 1; level--) {
    const unit = 256n ** BigInt(level);
    if (n === unit && start % unit === 0n) return hashAt(level, start / unit);
  }
  let k = 1n;
  while (k * 2n < n) k *= 2n;
  return node(mth(start, start + k), mth(start + k, end));
};
const root = size === 0n ? sha256(Buffer.alloc(0)) : mth(0n, size);
if (root.toString('base64') !== rootLine) { console.log(`root mismatch ${root.toString('hex')}`); process.exit(1); }
console.log(`ok ${size} ${root.toString('hex')} ${origin}`);

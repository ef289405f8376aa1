// Signed notes: the Go sumdb/note known answer (golang.org/x/mod, the C2SP reference), verifier
// keys whose base64 holds a '+', and notes made the way the service's CheckpointSigner makes them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { toHex } from '../../src/proof/bytes.ts';
import { hasWebCryptoEd25519, openNote, parseCheckpointBody, parseVerifierKey, verifyNote } from '../../src/proof/note.ts';
import { signer } from './fake-log.ts';

const PETER = 'PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW';
const PETER_TEXT = "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n";
const PETER_NOTE = `${PETER_TEXT}\n\u2014 PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n`;

test('webCrypto_hasEd25519', async () => {
  assert.ok(await hasWebCryptoEd25519());
});

test('openNote_goSumdbKnownAnswer_verifies', async () => {
  const key = await parseVerifierKey(PETER);
  assert.equal(key.name, 'PeterNeumann');
  assert.equal(toHex(key.keyId), 'c74f20a3');
  assert.equal(await openNote(PETER_NOTE, key), PETER_TEXT);
});

test('openNote_oneChangedLetter_isRefused', async () => {
  const key = await parseVerifierKey(PETER);
  await assert.rejects(openNote(PETER_NOTE.replace('cryptography', 'cryptographY'), key), {
    message: 'the checkpoint signature by PeterNeumann does not verify with the pinned key',
  });
});

test('parseVerifierKey_base64WithAPlus_isRead', async () => {
  // transparency-dev/formats note tests: a type 0x01 key whose base64 contains '+'.
  const key = await parseVerifierKey('TEST+7997405c+AQcC+FTVKf0jlTdHDY3rbevmnKxxPjigCXlVtGe6RIr6');
  assert.equal(key.name, 'TEST');
  assert.equal(key.publicKey.length, 32);
});

test('parseVerifierKey_wrongIdOrForm_saysWhat', async () => {
  await assert.rejects(parseVerifierKey('PeterNeumann+c74f20a4+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW'), {
    message: "the verifier key's id does not match its name and key: calculated c74f20a3, provided c74f20a4",
  });
  await assert.rejects(parseVerifierKey('PeterNeumann'), { message: 'a verifier key is name+keyid+base64(key)' });
  await assert.rejects(parseVerifierKey('PeterNeumann+zz+AAAA'), /the key id is 8 hex digits/);
  // type 0x02 (not Ed25519)
  await assert.rejects(parseVerifierKey('PeterNeumann+c74f20a3+Anpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW'), {
    message: 'this verifier key is not an Ed25519 signed-note key',
  });
});

test('verifyNote_checkpointSignedLikeTheService_givesOriginSizeAndRoot', async () => {
  const s = await signer('audit.example.com/log');
  const rootBase64 = Buffer.alloc(32, 7).toString('base64');
  const note = s.signNote(`audit.example.com/log\n1042\n${rootBase64}\n`);
  const body = await verifyNote(note, await parseVerifierKey(s.verifierKey));
  assert.equal(body.origin, 'audit.example.com/log');
  assert.equal(body.size, 1042n);
  assert.equal(toHex(body.root), '07'.repeat(32));
});

test('verifyNote_otherKeyOrNoSignature_isRefused', async () => {
  const s = await signer('audit.example.com/log');
  const other = await signer('audit.example.com/log');
  const note = s.signNote(`audit.example.com/log\n3\n${Buffer.alloc(32).toString('base64')}\n`);
  await assert.rejects(verifyNote(note, await parseVerifierKey(other.verifierKey)), {
    message: 'the checkpoint signature by audit.example.com/log does not verify with the pinned key',
  });
  const renamed = await signer('elsewhere/log');
  await assert.rejects(verifyNote(note, await parseVerifierKey(renamed.verifierKey)), {
    message: 'the checkpoint note has no signature by elsewhere/log',
  });
  await assert.rejects(verifyNote('audit.example.com/log\n3\n', await parseVerifierKey(s.verifierKey)), {
    message: 'the checkpoint note has no signature block',
  });
});

test('parseCheckpointBody_malformed_isRefused', () => {
  assert.throws(() => parseCheckpointBody('o\n01\nAAAA\n'), /size or root is malformed/);
  assert.throws(() => parseCheckpointBody('o\n-1\n' + Buffer.alloc(32).toString('base64') + '\n'), /size or root is malformed/);
  assert.throws(() => parseCheckpointBody('o\n1\n'), /origin, size and root lines|size or root/);
});

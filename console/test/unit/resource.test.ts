import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Resource } from '../../src/resource.ts';

test('resource_newParameters_dropTheOldValue_andALateOldAnswerIsIgnored', async () => {
  const r = new Resource<string>();
  await r.load('a', async () => 'A', () => {});
  assert.equal(r.value, 'A');
  let release!: (v: string) => void;
  const slow = r.load('b', () => new Promise<string>((resolve) => (release = resolve)), () => {});
  assert.equal(r.value, null);
  assert.equal(r.state, 'loading');
  await r.load('c', async () => 'C', () => {});
  release('B');
  await slow;
  assert.deepEqual([r.value, r.state], ['C', 'ok']);
});

test('resource_refreshOfTheSameParameters_keepsTheValueMeanwhile', async () => {
  const r = new Resource<string>();
  await r.load('a', async () => 'A', () => {});
  const seen: Array<string | null> = [];
  await r.load('a', async () => 'A2', () => seen.push(r.value), true);
  assert.deepEqual(seen, ['A', 'A2']);
});

test('resource_error_isKept_andALoadRetries', async () => {
  const r = new Resource<string>();
  await r.load('a', () => Promise.reject(new Error('503')), () => {});
  assert.deepEqual([r.state, r.error?.message], ['error', '503']);
  await r.load('a', async () => 'A', () => {});
  assert.deepEqual([r.state, r.value], ['ok', 'A']);
});

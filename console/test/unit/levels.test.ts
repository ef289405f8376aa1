import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ago, consentRate, dueBadge, percent, statusTiles, type Status } from '../../src/levels.ts';

const NOW = Date.parse('2026-03-31T12:00:00Z');
const DAY = 86_400_000;
const iso = (ms: number) => new Date(ms).toISOString();

test('dueBadge_shareOfLegalTimeLeft_setsTheLevel', () => {
  const received = iso(NOW - 10 * DAY);
  assert.deepEqual(dueBadge(received, iso(NOW + 20 * DAY), NOW), { level: 'ok', text: '20 days left', share: 2 / 3 });
  assert.equal(dueBadge(received, iso(NOW + 10 * DAY), NOW).level, 'warn'); // 50%
  assert.equal(dueBadge(received, iso(NOW + 3 * DAY), NOW).level, 'warn'); // 23%
  assert.equal(dueBadge(received, iso(NOW + 2 * DAY), NOW).level, 'bad'); // 17%
  assert.deepEqual(dueBadge(received, iso(NOW + 3_600_000), NOW).text, 'due today');
  assert.deepEqual(dueBadge(received, iso(NOW - 2.5 * DAY), NOW), { level: 'bad', text: '2 days overdue', share: 0 });
  assert.deepEqual(dueBadge(received, iso(NOW - 60_000), NOW).text, '1 day overdue');
  assert.equal(dueBadge(received, iso(NOW + 20 * DAY), NOW, true).level, 'bad');
});

test('consentRate_isGivenOverDecided', () => {
  assert.equal(consentRate(3, 1), 0.75);
  assert.equal(consentRate(0, 0), null);
  assert.equal(percent(consentRate(2, 1)), '67%');
  assert.equal(percent(null), '\u2014');
});

test('ago_wordsTheAge', () => {
  assert.equal(ago(2), 'just now');
  assert.equal(ago(42), '42 s ago');
  assert.equal(ago(600), '10 min ago');
  assert.equal(ago(7200), '2 h ago');
  assert.equal(ago(3 * 86400), '3 d ago');
});

const STATUS: Status = {
  generated_at: '2026-03-31T12:00:00Z',
  requests: { open: 5, overdue: 1, due_within_7_days: 2 },
  withdrawals_24h: 3,
  verification: { ok: true, verified_at: '2026-03-31T11:00:00Z', size: 120, failure: null },
  checkpoint: { size: 118, signed_at: '2026-03-31T11:59:00Z', age_seconds: 60 },
  webhooks: { failing: 0 },
  issuer_keys: { healthy: true, issuers: 1 },
  audit_queue: { depth: 600, capacity: 1000 },
};

test('statusTiles_giveValueLevelAndWords', () => {
  const tiles = Object.fromEntries(statusTiles(STATUS).map((t) => [t.id, t]));
  assert.deepEqual(
    Object.fromEntries(Object.entries(tiles).map(([id, t]) => [id, [t.value, t.level]])),
    {
      overdue: ['1', 'bad'],
      'due-soon': ['2', 'warn'],
      withdrawals: ['3', 'info'],
      verification: ['intact', 'ok'],
      checkpoint: ['118', 'ok'],
      webhooks: ['0', 'ok'],
      'issuer-keys': ['healthy', 'ok'],
      'audit-queue': ['600', 'warn'],
    },
  );
  assert.equal(tiles['verification']!.note, '120 entries, 1 h ago');
  assert.equal(tiles['audit-queue']!.note, 'of 1000 (60% full)');
});

test('statusTiles_failedOrMissingVerification_isSaid', () => {
  const failed = statusTiles({ ...STATUS, verification: { ok: false, verified_at: STATUS.generated_at, size: 9, failure: 'audit log broken at seq 4 (LEAF)' } });
  const tile = failed.find((t) => t.id === 'verification')!;
  assert.deepEqual([tile.value, tile.level, tile.note], ['FAILED', 'bad', '9 entries, just now: audit log broken at seq 4 (LEAF)']);
  const never = statusTiles({ ...STATUS, verification: null, checkpoint: null });
  assert.equal(never.find((t) => t.id === 'verification')!.value, 'never');
  assert.equal(never.find((t) => t.id === 'checkpoint')!.level, 'warn');
});

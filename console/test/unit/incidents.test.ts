// The breach register's clocks and order, and the audit filter's actions against the contract.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { byUrgency, incidentClocks, mostUrgent, span, type IncidentClockInput } from '../../src/levels.ts';
import { AUDIT_ACTIONS } from '../../src/views/load.ts';
import { VIEWS } from '../../src/route.ts';

const NOW = Date.parse('2026-03-31T12:00:00Z');
const H = 3_600_000;
const iso = (ms: number) => new Date(ms).toISOString();

function incident(id: string, detectedHoursAgo: number, over: Partial<IncidentClockInput> & { regime?: string } = {}) {
  const detected = NOW - detectedHoursAgo * H;
  return {
    id,
    detected_at: iso(detected),
    status: 'OPEN',
    principals: 0,
    notices: 0,
    overdue: [] as string[],
    ...over,
    clocks: {
      authority_due_at: iso(detected + 72 * H),
      principals_due_at: iso(detected),
      report_due_at: over.regime === 'DPDP' ? iso(detected + 72 * H) : null,
      ...(over.clocks ?? {}),
    },
  };
}

test('incidentClocks_overdueAsTheServiceSays_doneOnceNotified_runningWithTimeLeft', () => {
  const late = incident('a', 80, { regime: 'DPDP', overdue: ['authority', 'principals', 'report'] });
  assert.deepEqual(
    incidentClocks(late, NOW).map((c) => [c.name, c.state, c.level, c.text]),
    [
      ['authority', 'overdue', 'bad', 'overdue by 8 h'],
      ['principals', 'overdue', 'bad', 'overdue by 80 h'],
      ['report', 'overdue', 'bad', 'overdue by 8 h'],
    ],
  );
  const fresh = incident('b', 2, { overdue: ['principals'] });
  assert.deepEqual(
    incidentClocks(fresh, NOW).map((c) => [c.name, c.state, c.level, c.text]),
    [
      ['authority', 'running', 'ok', 'due in 70 h'],
      ['principals', 'overdue', 'bad', 'overdue by 2 h'],
    ],
    'GDPR: no report clock',
  );
  const soon = incident('c', 60, { clocks: { principals_notified_at: iso(NOW - H) } as never, principals: 2, notices: 2 });
  assert.deepEqual(incidentClocks(soon, NOW).map((c) => [c.name, c.state, c.level]), [
    ['authority', 'running', 'warn'],
    ['principals', 'done', 'ok'],
  ]);
  const partly = incident('d', 1, { clocks: { principals_notified_at: iso(NOW) } as never, principals: 3, notices: 2 });
  assert.equal(incidentClocks(partly, NOW)[1]!.state, 'running', 'one of three principals not notified yet');
  const closed = incident('e', 100, { status: 'CLOSED' });
  assert.deepEqual(incidentClocks(closed, NOW).map((c) => c.state), ['stopped', 'stopped']);
  assert.equal(mostUrgent(closed, NOW), Infinity);
});

test('byUrgency_soonestRunningClockFirst_stoppedOnesLastNewestFirst', () => {
  const notifiedOld = incident('notified-old', 50, { clocks: { principals_notified_at: iso(NOW - 40 * H) } as never });
  const fresh = incident('fresh', 1);
  const older = incident('older', 10);
  const closedNew = incident('closed-new', 0.5, { status: 'CLOSED' });
  const closedOld = incident('closed-old', 200, { status: 'DISMISSED' });
  const order = byUrgency([closedOld, fresh, notifiedOld, closedNew, older], NOW).map((i) => i.id);
  // older's principals clock (10 h ago) < fresh's (1 h ago) < notified-old's authority (22 h ahead)
  assert.deepEqual(order, ['older', 'fresh', 'notified-old', 'closed-new', 'closed-old']);
});

test('span_wordsADuration', () => {
  assert.deepEqual([span(59_000), span(5 * 60_000), span(95 * H), span(97 * H)], ['0 min', '5 min', '95 h', '4 d']);
});

test('auditActions_areTheOpenApiActionEnum', () => {
  const spec = readFileSync(new URL('../../../server/src/main/resources/dev/privacykit/server/openapi.yaml', import.meta.url), 'utf8');
  const line = /\n {4}Action:\n {6}type: string\n {6}enum: \[([^\]]+)\]/.exec(spec);
  assert.ok(line, 'the Action schema is in the document');
  assert.deepEqual(AUDIT_ACTIONS, line[1]!.split(',').map((a) => a.trim()));
  assert.ok(AUDIT_ACTIONS.includes('incident_recorded') && AUDIT_ACTIONS.includes('incident_updated'));
});

test('views_includeBreaches', () => {
  assert.deepEqual([...VIEWS], ['status', 'consents', 'requests', 'breaches', 'audit', 'settings']);
});

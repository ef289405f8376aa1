import { test } from 'node:test';
import assert from 'node:assert/strict';
import { allows, sessionOf } from '../../src/session.ts';
import { formatRoute, parseRoute } from '../../src/route.ts';
import { auditQuery, byDueDate, rangeDays } from '../../src/views/load.ts';

const jwt = (claims: object) =>
  ['{"alg":"EdDSA"}', JSON.stringify(claims)].map((p) => Buffer.from(p).toString('base64url')).join('.') + '.c2ln';

test('sessionOf_readsTenantScopesAndExpiry_forDisplay', () => {
  const session = sessionOf(`Bearer ${jwt({ tenant: 'acme', sub: 'ops', iss: 'dev', scope: 'audit:read consents:read', exp: 2000000000 })}`);
  assert.ok(!(session instanceof Error));
  assert.deepEqual([session.tenant, session.subject, session.scopes, session.expiresAt?.toISOString()], [
    'acme',
    'ops',
    ['audit:read', 'consents:read'],
    '2033-05-18T03:33:20.000Z',
  ]);
  assert.ok(allows(session, 'audit:read'));
  assert.ok(!allows(session, 'requests:manage'));
  assert.ok(!allows(null, 'audit:read'));
});

test('sessionOf_adminScope_allowsAllButSelf_andScpArraysCount', () => {
  const admin = sessionOf(jwt({ scp: ['privacykit:admin'] }));
  assert.ok(!(admin instanceof Error));
  assert.ok(allows(admin, 'requests:manage'));
  assert.ok(!allows(admin, 'consents:self'));
});

test('sessionOf_notAJwt_saysWhy', () => {
  assert.equal((sessionOf('hello') as Error).message, 'not a JWT: expected three base64url parts separated by dots');
  assert.equal((sessionOf('a.b.c') as Error).message, 'not a JWT: its payload is not base64url JSON');
});

test('routes_roundTripThroughTheFragment', () => {
  const route = parseRoute('#audit?subject=user%2042&action=read&from=2026-03-01T10%3A00%3A00Z&empty=');
  assert.deepEqual(route, { view: 'audit', params: { subject: 'user 42', action: 'read', from: '2026-03-01T10:00:00Z' } });
  assert.equal(formatRoute(route), '#audit?action=read&from=2026-03-01T10%3A00%3A00Z&subject=user+42');
  assert.deepEqual(parseRoute(formatRoute(route)), route);
  assert.deepEqual(parseRoute(''), { view: 'status', params: {} });
  assert.deepEqual(parseRoute('#nowhere?x=1'), { view: 'status', params: { x: '1' } });
});

test('viewParameters_rangeAuditQueryAndDueOrder', () => {
  assert.equal(rangeDays({ days: '90' }), 90);
  assert.equal(rangeDays({ days: '45' }), 30);
  assert.deepEqual(auditQuery({ subject: 's', after: '10', before: '99', view: 'x' }), { limit: 50, subject: 's', after: '10', before: '99' });
  const r = (id: string, due: string) => ({ id, due_at: due, subject: '', type: '', regime: '', status: '', received_at: due, overdue: false });
  assert.deepEqual(byDueDate([r('b', '2026-03-02T00:00:00Z'), r('a', '2026-03-01T00:00:00Z'), r('c', '2026-03-02T00:00:00Z')]).map((x) => x.id), ['a', 'b', 'c']);
});

// The console against the real service on PostgreSQL, where the test can change rows behind the
// service's back: requests aged into warning, problem and overdue; an audit row tampered with.
import { after, afterEach, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { assertClean, openConsole, type ConsolePage } from './browser.ts';
import { SERVE_FROM } from './config.ts';
import { client } from './service.ts';
import { startSuite, type Suite } from './suite.ts';
import { rightsTests } from './rights-tests.ts';
import { proveEntry, type CheckpointView, type ConsistencyView, type InclusionView } from '../../src/proof/prove.ts';
import type { AuditEntryView } from '../../src/proof/leaf.ts';

describe(`console on PostgreSQL (page served from the ${SERVE_FROM === 'jar' ? "service jar's /console/" : 'test proxy, /v1 from the jar'})`, () => {
  let s: Suite;
  const open: ConsolePage[] = [];
  const page = async () => {
    const p = await openConsole(s.browser, s.consoleUrl);
    open.push(p);
    return p;
  };

  before(async () => {
    s = await startSuite('postgres');
  });
  after(async () => {
    await s?.stop();
  });
  afterEach(async () => {
    try {
      for (const p of open) await assertClean(p);
    } finally {
      for (const p of open.splice(0)) await p.close();
    }
  });


  rightsTests(() => s, page);

  test('requests aged in the database get warning, problem and overdue badges, and the tiles count them', async () => {
    const [access, objection, portability, erasure] = s.seeded.requestOrder;
    // Received earlier than they were: access 25 of its ~30 days ago (under 20% left), the
    // extended portability 40 of ~61 days ago (about a third left), the DPDP erasure 100 days ago.
    await s.service.sql(`
      UPDATE dsr_requests SET received_at = now() - interval '25 days', due_at = now() - interval '25 days' + interval '1 month' WHERE id = '${access}';
      UPDATE dsr_requests SET received_at = now() - interval '40 days', due_at = now() - interval '40 days' + interval '2 months' WHERE id = '${portability}';
      UPDATE dsr_requests SET received_at = now() - interval '100 days', due_at = now() - interval '10 days' WHERE id = '${erasure}';`);
    const p = await page();
    await p.signIn(s.tokens.adminA);
    await p.page.locator('[data-tile=overdue]').waitFor();
    assert.deepEqual(
      await p.page.locator('[data-tile=overdue], [data-tile=due-soon]').evaluateAll((els) => els.map((el) => [el.getAttribute('data-value'), el.getAttribute('data-level')])),
      [['1', 'bad'], ['1', 'warn']],
    );
    assert.match(await p.page.locator('[data-tile=overdue]').innerText(), /Problem/);
    await p.go('requests');
    await p.page.locator('tr[data-request-id]').first().waitFor();
    const rows = await p.page.locator('tr[data-request-id]').evaluateAll((els) =>
      els.map((el) => [el.getAttribute('data-request-id'), el.getAttribute('data-badge-level'), el.querySelector('.badge')?.textContent?.replace(/\s+/g, ' ').trim()]),
    );
    assert.deepEqual(rows.map((r) => r[0]), [erasure, access, portability, objection]);
    assert.deepEqual(rows.map((r) => r[1]), ['bad', 'bad', 'warn', 'ok']);
    assert.equal(rows[0]![2], 'Problem 10 days overdue');
    assert.match(rows[1]![2]!, /^Problem [2-5] days left$/); // a month of 28 to 31 days, 25 gone
    assert.match(rows[2]![2]!, /^Warning (19|2[0-2]) days left$/); // two months of 59 to 62 days, 40 gone
    assert.match(rows[3]![2]!, /^OK \d+ days left$/);
    await p.screenshot('requests-aged');
  });

  test('the proof checker proves a real entry when given the salt and body hash the database holds', async () => {
    // The API's entry does not carry its leaf salt and body hash yet; read them where the service
    // keeps them, to check the browser's leaf encoding and proof checks against real data.
    const api = client(s.service.baseUrl, s.tokens.adminA);
    const source = {
      inclusion: (seq: number) => api.get<InclusionView>(`/v1/audit/proofs/inclusion?seq=${seq}`),
      checkpoint: () => api.get<CheckpointView>('/v1/audit/checkpoint'),
      consistency: (from: number, to: number) => api.get<ConsistencyView>(`/v1/audit/proofs/consistency?from=${from}&to=${to}`),
    };
    for (const seq of [s.seeded.readSeqs[0]!, s.seeded.bodySeq]) {
      const subject = seq === s.seeded.bodySeq ? 'user-a2' : 'user-a1';
      const { entries } = await api.get<{ entries: AuditEntryView[] }>(`/v1/audit/events?subject=${subject}`);
      const entry = entries.find((e) => e.seq === seq)!;
      const [salt, bodyHash] = (await s.service.sql(`SELECT encode(leaf_salt, 'hex') || '|' || coalesce(encode(body_hash, 'hex'), '') FROM audit_entries WHERE seq = ${seq}`)).split('|');
      if ('leaf_salt' in entry) assert.deepEqual([entry.leaf_salt, entry.body_hash ?? ''], [salt, bodyHash], 'the API and the database agree');
      const report = await proveEntry({ ...entry, leaf_salt: salt!, body_hash: bodyHash || null }, { tokenTenant: 'acme', pinnedKey: s.verifierKey, source });
      assert.equal(report.verdict, 'proven', report.summary);
      if (seq === s.seeded.bodySeq) assert.match(bodyHash!, /^[0-9a-f]{64}$/);
    }
  });

  test('"verify in this browser" passes for a real entry, and fails once its row is changed in the database', async () => {
    const seq = s.seeded.readSeqs[0]!;
    const verify = async (p: ConsolePage) => {
      await p.go('audit?subject=user-a1');
      await p.page.locator(`button[data-verify="${seq}"]`).click();
      const result = p.page.locator(`tr[data-proof-for="${seq}"] .proof:not([data-verdict=running])`);
      await result.waitFor();
      return { verdict: await result.getAttribute('data-verdict'), text: await result.innerText() };
    };
    const pin = async (p: ConsolePage) => {
      await p.go('settings');
      await p.page.locator('#verifier-key').fill(s.verifierKey);
      await p.page.getByRole('button', { name: 'Pin', exact: true }).click();
      await p.page.locator('[data-pinned-state=valid]').waitFor();
    };
    const p = await page();
    await p.signIn(s.tokens.adminA);
    await pin(p);
    const intact = await verify(p);
    assert.equal(intact.verdict, 'proven', intact.text);

    // A superuser edits the row (the append-only trigger off for the moment).
    await s.service.sql(`
      ALTER TABLE audit_entries DISABLE TRIGGER audit_entries_append_only;
      UPDATE audit_entries SET purpose = 'analytics' WHERE seq = ${seq};
      ALTER TABLE audit_entries ENABLE ALWAYS TRIGGER audit_entries_append_only;`);
    const q = await page();
    await q.signIn(s.tokens.adminA);
    await pin(q);
    const tampered = await verify(q);
    assert.equal(tampered.verdict, 'failed', tampered.text);
    assert.match(tampered.text, /Verification FAILED/);
    assert.match(tampered.text, /FAIL Leaf recomputed in this browser/);
    assert.match(tampered.text, /FAIL Inclusion path to the checkpoint root/);
    await q.screenshot('audit-tampered');
  });
});

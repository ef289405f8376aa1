// Browser tests of the request queue's new types, statuses and steps, the breach register and the
// records of processing, against the real service (both suites run them), data seeded through
// the API by seed-rights.ts, tenant isolation included.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { ConsolePage } from './browser.ts';
import { client } from './service.ts';
import { NATURE } from './seed-rights.ts';
import type { Suite } from './suite.ts';

async function saved(p: ConsolePage, selector: string): Promise<{ name: string; text: string }> {
  const [download] = await Promise.all([p.page.waitForEvent('download'), p.page.locator(selector).click()]);
  const path = await download.path();
  return { name: download.suggestedFilename(), text: readFileSync(path!, 'utf8') };
}

export function rightsTests(suite: () => Suite, page: () => Promise<ConsolePage>): void {
  test('the queue shows new types, who filed each, and the purposes of an objection', async () => {
    const s = suite();
    const p = await page();
    await p.signIn(s.tokens.adminC);
    await p.go('requests');
    await p.page.locator('tr[data-request-id]').first().waitFor();
    const rows = await p.page.locator('tr[data-request-id]').evaluateAll((els) =>
      els.map((el) => ({
        id: el.getAttribute('data-request-id'),
        type: el.getAttribute('data-type'),
        filedBy: el.getAttribute('data-filed-by'),
        badge: el.querySelector('[data-filed-by=subject]')?.textContent?.trim() ?? null,
        purposes: el.querySelector('[data-purposes]')?.textContent?.trim() ?? null,
        text: (el as HTMLElement).innerText,
      })),
    );
    const ids = rows.map((r) => r.id).sort();
    assert.deepEqual(ids, [s.rights.objection, s.rights.humanReview].sort(), 'the withdrawn and the fulfilled request are not open');
    const objection = rows.find((r) => r.id === s.rights.objection)!;
    assert.deepEqual([objection.type, objection.filedBy, objection.badge, objection.purposes], ['objection', 'subject', 'filed by subject', 'email_marketing']);
    const review = rows.find((r) => r.id === s.rights.humanReview)!;
    assert.deepEqual([review.type, review.filedBy, review.badge, review.purposes], ['human_review', 'fiduciary', null, 'pay_later_eligibility']);
    assert.match(review.text, /human review/);
    await p.screenshot('requests-rights');
  });

  test('a withdrawn request opens by id with its history; a fulfilled restriction is lifted', async () => {
    const s = suite();
    const p = await page();
    await p.signIn(s.tokens.adminC);
    await p.go('requests');
    await p.page.locator('form.lookup input[name=id]').fill(s.rights.withdrawn);
    await p.page.getByRole('button', { name: 'Open', exact: true }).click();
    await p.page.waitForURL(new RegExp(`#requests\\?id=${s.rights.withdrawn}$`));
    const withdrawn = p.page.locator(`section.request-detail[data-request="${s.rights.withdrawn}"][data-status=withdrawn]`);
    await withdrawn.waitFor();
    assert.equal(await withdrawn.locator('[data-field=status]').innerText(), 'withdrawn');
    assert.equal(await withdrawn.locator('[data-field=filed-by]').innerText(), 'subject');
    assert.ok((await withdrawn.locator('[data-history-status]').evaluateAll((els) => els.map((e) => e.getAttribute('data-history-status')))).includes('WITHDRAWN'));
    assert.equal(await withdrawn.locator('button[data-action]').count(), 0, 'nothing to do on a withdrawn request');

    await p.go(`requests?id=${s.rights.restriction}`);
    const restriction = p.page.locator(`section.request-detail[data-request="${s.rights.restriction}"][data-status=fulfilled]`);
    await restriction.waitFor();
    assert.equal(await restriction.locator('[data-field=purposes]').innerText(), 'fraud_prevention');
    await restriction.locator('button[data-action=lift]').click();
    await p.page.locator('form[data-form=lift] input[name=reason]').fill('accuracy verified against the source');
    await p.page.getByRole('button', { name: 'Lift restriction' }).click();
    await p.page.locator('p.message.level-ok', { hasText: 'restriction of user-g4: lift done, now fulfilled' }).waitFor();
    await restriction.locator('li[data-history-status]', { hasText: 'restriction lifts at' }).waitFor();
    assert.equal(await restriction.locator('button[data-action=lift]').count(), 0, 'lifting is announced once');
    await p.screenshot('request-lifted');
    // The service agrees: the restriction is being lifted (it still holds for the notice period).
    const g4 = client(s.service.baseUrl, await s.service.mint('gamma', ['requests:self'], 'user-g4'));
    const { holds } = await g4.get<{ holds: Array<{ request_id: string; kind: string; lifts_at: string | null }> }>('/v1/me/requests');
    const hold = holds.find((h) => h.request_id === s.rights.restriction);
    assert.equal(hold?.kind, 'restriction');
    assert.ok(hold?.lifts_at && Date.parse(hold.lifts_at) > Date.now(), JSON.stringify(holds));
  });

  test("another tenant's request does not open, and its subjects never show", async () => {
    const s = suite();
    const p = await page();
    await p.signIn(s.tokens.adminA);
    await p.go(`requests?id=${s.rights.objection}`);
    await p.page.locator('section.request-detail .problem[data-status="404"]').waitFor();
    await p.page.locator('tr[data-request-id]').first().waitFor();
    assert.doesNotMatch(await p.page.locator('main').innerText(), /user-g\d/);
    assert.ok(p.apiErrors.includes(`404 /v1/requests/${s.rights.objection}`));
  });

  test('the breach register: most urgent clock first, overdue badges in words, drafts shown and saved', async () => {
    const s = suite();
    const { late, fresh, closed } = s.rights.incidentsA;
    const p = await page();
    await p.signIn(s.tokens.adminA);
    await p.go('breaches');
    await p.page.locator('tr[data-incident-id]').first().waitFor();
    const rows = await p.page.locator('tr[data-incident-id]').evaluateAll((els) =>
      els.map((el) => ({
        id: el.getAttribute('data-incident-id'),
        clocks: [...el.querySelectorAll('[data-clock]')].map((c) => `${c.getAttribute('data-clock')}=${c.getAttribute('data-state')}`),
        text: (el as HTMLElement).innerText,
      })),
    );
    assert.deepEqual(rows.map((r) => r.id), [late, fresh, closed]);
    assert.deepEqual(rows[0]!.clocks, ['authority=overdue', 'principals=overdue']);
    assert.match(rows[0]!.text, /Authority overdue[\s\S]*Problem[\s\S]*by 8 h/);
    assert.deepEqual(rows[1]!.clocks, ['authority=done', 'principals=overdue', 'report=running']);
    assert.match(rows[1]!.text, /Report:\s*OK\s*due in 7[01] h/);
    assert.deepEqual(rows[2]!.clocks, ['authority=stopped', 'principals=stopped']);
    assert.equal(await p.page.locator(`tr[data-incident-id="${late}"] td.nature`).textContent(), NATURE.late, 'shown as text');
    assert.equal(await p.page.locator('#injected-nature').count(), 0);
    assert.doesNotMatch(await p.page.locator('main').innerText(), /Beta tenant/);

    await p.page.locator(`tr[data-incident-id="${late}"] button[data-action=show-draft]`).click();
    const draft = p.page.locator(`section.draft[data-report-for="${late}"]`);
    await draft.waitFor();
    assert.match(await draft.innerText(), /Art\. 33/);
    assert.ok((await draft.locator('tr[data-field]').count()) > 3);
    await p.screenshot('breaches');

    const html = await saved(p, `tr[data-incident-id="${late}"] button[data-download=draft-html]`);
    assert.equal(html.name, `incident-${late}-draft.html`);
    assert.match(html.text, /^<!DOCTYPE html>/);
    assert.ok(html.text.includes('&lt;i id=&#34;injected-nature&#34;&gt;USB') || html.text.includes('&lt;i id='), 'the nature encoded');
    assert.ok(!html.text.includes('<i id="injected-nature">'));
    const json = await saved(p, `tr[data-incident-id="${fresh}"] button[data-download=draft-json]`);
    assert.equal(json.name, `incident-${fresh}-draft.json`);
    const report = JSON.parse(json.text) as { incident_id: string; regime: string };
    assert.deepEqual([report.incident_id, report.regime], [fresh, 'DPDP']);
  });

  test("tenant B's breach register shows only its own incident, and A's drafts are not found", async () => {
    const s = suite();
    const p = await page();
    await p.signIn(s.tokens.adminB);
    await p.go('breaches');
    await p.page.locator('tr[data-incident-id]').first().waitFor();
    assert.deepEqual(await p.page.locator('tr[data-incident-id]').evaluateAll((els) => els.map((el) => el.getAttribute('data-incident-id'))), [s.rights.incidentB]);
    assert.doesNotMatch(await p.page.locator('main').innerText(), /USB|Misdirected|Printer/);
    const status = await p.page.evaluate(async ([id, token]) => {
      const r = await fetch(`/v1/incidents/${id}/report?format=html`, { headers: { Authorization: `Bearer ${token}` } });
      return r.status;
    }, [s.rights.incidentsA.late, s.tokens.adminB] as const);
    assert.equal(status, 404);
  });

  test('records of processing (HTML) are saved for audit:read tokens, each of its own tenant; no breaches without incidents:manage', async () => {
    const s = suite();
    const p = await page();
    await p.signIn(s.tokens.auditOnlyA);
    await p.page.locator('[data-tile=withdrawals]').waitFor();
    assert.match(await p.page.locator('nav').innerText(), /Breaches \(needs incidents:manage\)/);
    const records = await saved(p, 'button[data-download=records-of-processing]');
    assert.match(records.name, /^records-of-processing-acme-\d{4}-\d{2}-\d{2}\.html$/);
    assert.match(records.text, /^<!DOCTYPE html>/);
    assert.match(records.text, /tenant <code>acme<\/code>/);
    await p.go('breaches');
    await p.page.locator('[data-needs-scope="incidents:manage"]').waitFor();
    assert.deepEqual(p.apiErrors, [], 'no call the token may not make');

    const q = await page();
    await q.signIn(s.tokens.adminB);
    await q.go('audit');
    const other = await saved(q, 'button[data-download=records-of-processing]');
    assert.match(other.text, /tenant <code>beta<\/code>/);
    assert.doesNotMatch(other.text, /acme/);
  });
}

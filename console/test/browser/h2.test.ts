// The console in headless Chromium against the real service on H2, data seeded through the API.
import { after, afterEach, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { assertClean, openConsole, type ConsolePage } from './browser.ts';
import { SERVE_FROM } from './config.ts';
import { CONSENT_TOTALS_A, WITHDRAWALS_A, WITHDRAWALS_B } from './seed.ts';
import { client } from './service.ts';
import { startSuite, type Suite } from './suite.ts';
import { rightsTests } from './rights-tests.ts';

describe(`console on H2 (page served from the ${SERVE_FROM === 'jar' ? "service jar's /console/" : 'test proxy, /v1 from the jar'})`, () => {
  let s: Suite;
  const open: ConsolePage[] = [];
  const page = async () => {
    const p = await openConsole(s.browser, s.consoleUrl);
    open.push(p);
    return p;
  };

  before(async () => {
    s = await startSuite('h2');
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

  test('the page is served with its CSP and has no inline script or style', async () => {
    const response = await fetch(`${s.consoleUrl}/console/`);
    assert.equal(response.status, 200);
    const csp = response.headers.get('content-security-policy') ?? '';
    for (const directive of ["default-src 'self'", "script-src 'self'", "style-src 'self'", "frame-ancestors 'none'", "base-uri 'none'", "form-action 'none'"]) {
      assert.ok(csp.includes(directive), `CSP lacks ${directive}: ${csp}`);
    }
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
    const html = await response.text();
    assert.doesNotMatch(html, /<script(?![^>]*\bsrc=)[^>]*>/i, 'an inline <script>');
    assert.doesNotMatch(html, /<style|\sstyle=|\son[a-z]+=/i, 'inline style or handler');
  });

  test('sign-in shows the tenant and scopes decoded from the token, and keeps the token out of localStorage', async () => {
    const p = await page();
    await p.page.goto(`${s.consoleUrl}/console/`);
    await p.page.locator('textarea#token').waitFor();
    await p.screenshot('signin');
    await p.signIn(s.tokens.adminA, true);
    assert.equal(await p.page.locator('.who').getAttribute('data-tenant'), 'acme');
    assert.match(await p.page.locator('.who').innerText(), /privacykit:admin/);
    const stored = await p.page.evaluate(() => ({ local: localStorage.length, session: Object.keys(sessionStorage) }));
    assert.deepEqual(stored, { local: 0, session: ['privacykit.console.token'] });
    await p.page.getByRole('button', { name: 'Sign out' }).click();
    await p.page.locator('textarea#token').waitFor();
    assert.equal(await p.page.evaluate(() => sessionStorage.length), 0);
  });

  test('each status tile shows the seeded numbers, in colour and in words', async () => {
    const p = await page();
    await p.signIn(s.tokens.adminA);
    await p.page.locator('[data-tile=withdrawals]').waitFor();
    const tile = async (id: string) => {
      const el = p.page.locator(`[data-tile=${id}]`);
      return { value: await el.getAttribute('data-value'), level: await el.getAttribute('data-level'), text: await el.innerText() };
    };
    assert.deepEqual(await tile('overdue'), { value: '0', level: 'ok', text: (await tile('overdue')).text });
    assert.match((await tile('overdue')).text, /OK/);
    const soon = await tile('due-soon');
    assert.deepEqual([soon.value, soon.level], ['0', 'ok']);
    assert.match(soon.text, /4 open in all/);
    const withdrawals = await tile('withdrawals');
    assert.deepEqual([withdrawals.value, withdrawals.level], [String(WITHDRAWALS_A), 'info']);
    const verification = await tile('verification');
    assert.deepEqual([verification.value, verification.level], ['intact', 'ok']);
    const checkpoint = await tile('checkpoint');
    assert.match(checkpoint.value!, /^\d+$/);
    assert.match(checkpoint.text, /signed (just now|\d+ s ago)/);
    assert.deepEqual((await tile('webhooks')).value, '0');
    const keys = await tile('issuer-keys');
    assert.deepEqual([keys.value, keys.level], ['healthy', 'ok']);
    assert.match((await tile('audit-queue')).text, /of \d+ \(\d+% full\)/);
    await p.screenshot('status');
  });

  test('a chart renders each purpose with the seeded counts and the rate given ÷ decided', async () => {
    const p = await page();
    await p.signIn(s.tokens.adminA);
    await p.go('consents?days=7');
    for (const [purpose, want] of Object.entries(CONSENT_TOTALS_A)) {
      const card = p.page.locator(`section.purpose[data-purpose=${purpose}]`);
      await card.locator('.chart[data-rendered="7"] canvas').waitFor();
      const got = await Promise.all(['given', 'refused', 'withdrawn', 'expired'].map((k) => card.getAttribute(`data-${k}`)));
      assert.deepEqual(
        got,
        [want.given, want.refused, want.withdrawn, want.expired].map(String),
        purpose,
      );
      assert.equal(await card.locator('.rate .value').innerText(), want.rate);
      const today = new Date().toISOString().slice(0, 10);
      const cells = await card.locator(`tr[data-day="${today}"] td`).allTextContents();
      assert.deepEqual(cells, [want.given, want.refused, want.withdrawn, want.expired].map(String));
    }
    await p.screenshot('consents');
    await p.page.locator('a[data-range="90"]').click();
    await p.page.locator('section.purpose[data-purpose=email_marketing] .chart[data-rendered="90"] canvas').waitFor();
    assert.equal(new URL(p.page.url()).hash, '#consents?days=90');
    await p.page.reload();
    await p.signIn(s.tokens.adminA); // the token was kept in memory only
    await p.go('consents?days=90');
    assert.equal(await p.page.locator('a[data-range="90"]').getAttribute('aria-current'), 'true');
  });

  test('the request queue orders by due date and badges each request', async () => {
    const p = await page();
    await p.signIn(s.tokens.adminA);
    await p.go('requests');
    await p.page.locator('tr[data-request-id]').first().waitFor();
    const rows = await p.page.locator('tr[data-request-id]').evaluateAll((els) =>
      els.map((el) => ({ id: el.getAttribute('data-request-id'), due: el.getAttribute('data-due'), level: el.getAttribute('data-badge-level'), text: (el as HTMLElement).innerText })),
    );
    assert.deepEqual(rows.map((r) => r.id), s.seeded.requestOrder);
    const dues = rows.map((r) => Date.parse(r.due!));
    assert.deepEqual(dues, [...dues].sort((x, y) => x - y));
    assert.deepEqual(rows.map((r) => r.level), ['ok', 'ok', 'ok', 'ok']);
    for (const r of rows) assert.match(r.text, /OK \d+ days left/);
    assert.match(rows[2]!.text, /GDPR \(\+1 mo\)/);
    await p.screenshot('requests');

    // The steps: verify the objection's requester, extend the access request, deny the erasure.
    const row = (i: number) => p.page.locator(`tr[data-request-id="${s.seeded.requestOrder[i]}"]`);
    await row(1).locator('button[data-action=verify]').click();
    await p.page.locator('p.message.level-ok', { hasText: 'verify done, now open' }).waitFor();
    await row(0).locator('button[data-action=extend]').click();
    await p.page.locator('form[data-form=extend] input[name=reason]').fill('records in three systems');
    await p.page.getByRole('button', { name: 'Extend request' }).click();
    await p.page.locator('p.message.level-ok', { hasText: 'access of user-a1: extend done' }).waitFor();
    await p.page.locator(`tr[data-request-id="${s.seeded.requestOrder[0]}"]`, { hasText: 'GDPR (+1 mo)' }).waitFor();
    await row(3).locator('button[data-action=deny]').click();
    await p.page.locator('form[data-form=deny] select[name=reason]').selectOption('legal_obligation_to_retain');
    await p.page.locator('form[data-form=deny] input[name=note]').fill('tax records are kept for ten years');
    await p.page.getByRole('button', { name: 'Deny request' }).click();
    await p.page.locator('p.message.level-ok', { hasText: 'deny done, now denied' }).waitFor();
    await p.page.locator(`tr[data-request-id="${s.seeded.requestOrder[3]}"]`).waitFor({ state: 'detached' });
    // The portability request was extended by a month already: one more is the last GDPR allows.
    await row(2).locator('button[data-action=extend]').click();
    assert.deepEqual(await p.page.locator('form[data-form=extend] select[name=months] option').allInnerTexts(), ['1']);
    await p.page.locator('form[data-form=extend] input[name=reason]').fill('a third system found');
    await p.page.getByRole('button', { name: 'Extend request' }).click();
    await p.page.locator('p.message.level-ok', { hasText: 'portability of user-a3: extend done' }).waitFor();
    await p.page.locator(`tr[data-request-id="${s.seeded.requestOrder[2]}"]`, { hasText: 'GDPR (+2 mo)' }).waitFor();
    assert.equal(await row(2).locator('button[data-action=extend]').count(), 0);
  });

  test('an audit search filter round-trips through the URL (reload, back, forward)', async () => {
    const p = await page();
    await p.signIn(s.tokens.adminA, true);
    await p.go('audit');
    await p.page.locator('table.audit tr[data-seq]').first().waitFor();
    await p.page.locator('form.filters input[name=subject]').fill('user-a1');
    await p.page.locator('form.filters select[name=action]').selectOption('read');
    await p.page.getByRole('button', { name: 'Search' }).click();
    await p.page.waitForURL(/#audit\?action=read&subject=user-a1$/);
    const check = async () => {
      await p.page.locator('table.audit tr[data-seq]').first().waitFor();
      const rows = await p.page.locator('table.audit tr[data-seq]').evaluateAll((els) =>
        els.map((el) => ({ seq: Number(el.getAttribute('data-seq')), cells: [...el.querySelectorAll('td')].map((td) => td.textContent?.trim()) })),
      );
      for (const r of rows) {
        assert.equal(r.cells[3], 'user-a1');
        assert.equal(r.cells[4], 'read');
      }
      for (const seq of s.seeded.readSeqs) assert.ok(rows.some((r) => r.seq === seq), `seq ${seq} listed`);
      assert.equal(await p.page.locator('form.filters input[name=subject]').inputValue(), 'user-a1');
      assert.equal(await p.page.locator('form.filters select[name=action]').inputValue(), 'read');
    };
    await check();
    await p.screenshot('audit');
    await p.page.reload();
    await check();
    await p.page.goBack();
    await p.page.waitForURL(/#audit$/);
    await p.page.locator('table.audit tr[data-seq]').first().waitFor();
    assert.equal(await p.page.locator('form.filters input[name=subject]').inputValue(), '');
    await p.page.goForward();
    await p.page.waitForURL(/#audit\?action=read&subject=user-a1$/);
    await check();
  });

  test('the audit search pages, each page in the URL', async () => {
    const p = await page();
    await p.signIn(s.tokens.adminA);
    await p.go('audit?limit=3');
    const seqs = () => p.page.locator('table.audit tr[data-seq]').evaluateAll((els) => els.map((el) => Number(el.getAttribute('data-seq'))));
    await p.page.locator('table.audit tr[data-seq]').first().waitFor();
    const first = await seqs();
    assert.equal(first.length, 3);
    await p.page.locator('button[data-page=next]').click();
    await p.page.waitForURL(/#audit\?after=\d+&before=\d+&limit=3$/);
    await p.page.locator(`table.audit tr[data-seq="${first[2]! + 1}"]`).waitFor();
    const second = await seqs();
    assert.equal(second.length, 3);
    assert.ok(second[0]! > first[2]!, `${second} after ${first}`);
    await p.page.goBack();
    await p.page.locator(`table.audit tr[data-seq="${first[0]}"]`).waitFor();
    assert.deepEqual(await seqs(), first);
  });

  test('values from the API are shown as text, never as markup', async () => {
    const actor = '<img src=x id=injected onerror="document.title=1">';
    await client(s.service.baseUrl, s.tokens.adminA).post('/v1/audit/events', { actor, action: 'read', purpose: '<b>bold</b>' });
    const p = await page();
    await p.signIn(s.tokens.adminA);
    await p.go(`audit?actor=${encodeURIComponent(actor)}`);
    const row = p.page.locator('table.audit tr[data-seq]').first();
    await row.waitFor();
    assert.equal(await row.locator('td').nth(2).textContent(), actor);
    assert.equal(await row.locator('td').nth(5).textContent(), '<b>bold</b>');
    assert.equal(await p.page.locator('#injected, table.audit b').count(), 0);
  });

  test('"verify in this browser" proves real entries against the pinned key', async () => {
    const p = await page();
    await p.signIn(s.tokens.adminA);
    await p.go('settings');
    await p.page.locator('#verifier-key').fill(s.verifierKey);
    await p.page.getByRole('button', { name: 'Pin', exact: true }).click();
    await p.page.locator('[data-pinned-state=valid]').waitFor();
    await p.page.getByRole('button', { name: 'Fetch GET /v1/audit/checkpoint' }).click();
    await p.page.locator('[data-announced-match=same]').waitFor();
    await p.screenshot('settings');
    for (const seq of [s.seeded.readSeqs[0]!, s.seeded.bodySeq]) {
      await p.go(`audit?subject=${seq === s.seeded.bodySeq ? 'user-a2' : 'user-a1'}`);
      await p.page.locator(`button[data-verify="${seq}"]`).click();
      const result = p.page.locator(`tr[data-proof-for="${seq}"] .proof:not([data-verdict=running])`);
      await result.waitFor();
      const verdict = await result.getAttribute('data-verdict');
      assert.equal(verdict, 'proven', await result.innerText());
      const steps = await result.locator('li[data-step]').evaluateAll((els) => els.map((el) => `${el.getAttribute('data-step')}=${el.getAttribute('data-state')}`));
      assert.deepEqual(steps.filter((x) => !x.endsWith('=pass')), [], 'every step passes');
      if (seq === s.seeded.bodySeq) await p.screenshot('audit-proven');
    }
  });

  test('without a pinned key the page says it cannot prove', async () => {
    const p = await page();
    await p.signIn(s.tokens.adminA);
    await p.go('audit?subject=user-a1');
    const seq = s.seeded.readSeqs[1]!;
    await p.page.locator(`button[data-verify="${seq}"]`).click();
    const result = p.page.locator(`tr[data-proof-for="${seq}"] .proof:not([data-verdict=running])`);
    await result.waitFor();
    assert.equal(await result.getAttribute('data-verdict'), 'unproven');
    assert.match(await result.innerText(), /not pinned: cannot prove/);
  });

  test('a token of tenant B never sees tenant A', async () => {
    const p = await page();
    await p.signIn(s.tokens.adminB);
    await p.page.locator('[data-tile=withdrawals]').waitFor();
    assert.equal(await p.page.locator('[data-tile=withdrawals]').getAttribute('data-value'), String(WITHDRAWALS_B));
    assert.equal(await p.page.locator('[data-tile=due-soon]').innerText().then((t) => /1 open in all/.test(t)), true);
    await p.go('consents?days=7');
    const card = p.page.locator('section.purpose[data-purpose=email_marketing]');
    await card.locator('canvas').waitFor();
    assert.deepEqual(await Promise.all(['given', 'withdrawn', 'refused'].map((k) => card.getAttribute(`data-${k}`))), ['2', '2', '0']);
    await p.go('requests');
    await p.page.locator('tr[data-request-id]').first().waitFor();
    assert.deepEqual(await p.page.locator('tr[data-request-id] td code').allInnerTexts(), ['user-b1']);
    await p.go('audit');
    await p.page.locator('table.audit tr[data-seq]').first().waitFor();
    const seqs = (await p.page.locator('table.audit tr[data-seq]').evaluateAll((els) => els.map((el) => Number(el.getAttribute('data-seq')))));
    for (const seq of [...s.seeded.readSeqs, s.seeded.bodySeq]) assert.ok(!seqs.includes(seq), `tenant A's seq ${seq} listed for B`);
    await p.go('audit?subject=user-a1');
    await p.page.locator('[data-empty]').waitFor();
    const body = await p.page.locator('body').innerText();
    assert.doesNotMatch(body, /user-a\d/);
    // Nor can B ask for a proof of A's entry.
    const status = await p.page.evaluate(async ([seq, token]) => {
      const r = await fetch(`/v1/audit/proofs/inclusion?seq=${seq}`, { headers: { Authorization: `Bearer ${token}` } });
      return r.status;
    }, [s.seeded.bodySeq, s.tokens.adminB] as const);
    assert.equal(status, 404);
    const api = client(s.service.baseUrl, s.tokens.adminB);
    const { requests } = await api.get<{ requests: Array<{ subject: string }> }>('/v1/requests');
    assert.deepEqual(requests.map((r) => r.subject), ['user-b1']);
  });

  test("views the token's scopes do not allow say which scope they need", async () => {
    const p = await page();
    await p.signIn(s.tokens.consentsOnlyA);
    await p.page.locator('[data-needs-scope="audit:read"]').waitFor();
    assert.match(await p.page.locator('nav').innerText(), /Status \(needs audit:read\)[\s\S]*Requests \(needs requests:manage\)/);
    await p.screenshot('needs-scope');
    await p.go('requests');
    await p.page.locator('[data-needs-scope="requests:manage"]').waitFor();
    await p.go('consents?days=7');
    await p.page.locator('section.purpose[data-purpose=email_marketing] canvas').waitFor();
    assert.deepEqual(p.apiErrors, [], 'no call the token may not make');
  });

  test('a 403 from the API is shown as such', async () => {
    const p = await page();
    // The one answer faked here: a service that refuses what the token's claims seem to allow
    // (say, a scope its issuer no longer grants).
    await p.page.route('**/v1/status', (route) =>
      route.fulfill({
        status: 403,
        contentType: 'application/problem+json',
        body: JSON.stringify({ type: 'https://privacykit.dev/problems/forbidden', title: 'Forbidden', status: 403, detail: 'the token lacks the scope audit:read' }),
      }),
    );
    await p.signIn(s.tokens.adminA);
    const problem = p.page.locator('.problem[data-status="403"]');
    await problem.waitFor();
    assert.match(await problem.innerText(), /Forbidden \(403\)[\s\S]*needs the scope audit:read/);
  });

  test('a CSP violation is caught by the checks (control)', async () => {
    const p = await page();
    await p.signIn(s.tokens.adminA);
    await p.page.evaluate(() => document.body.insertAdjacentHTML('beforeend', '<div style="color: red">x</div>'));
    await p.page.waitForTimeout(100);
    await assert.rejects(assertClean(p), /securitypolicyviolation: style-src|CSP: /);
    p.problems.length = 0;
  });
});

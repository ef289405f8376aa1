// The console against the real service with its audit log on four shards (H2, then PostgreSQL):
// an entry of a tenant on shard 3 is proven in the browser up to the top-level checkpoint that pins
// every shard, and a top-level half whose shard root was changed on the way fails.
import { after, afterEach, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { assertClean, launch, openConsole, type ConsolePage } from './browser.ts';
import { SERVE_FROM } from './config.ts';
import { appendAndProve } from './sharded-fixture.ts';
import { client, startService, type Service } from './service.ts';
import { startProxy } from './static-server.ts';
import { resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const DIST = process.env['CONSOLE_DIST'] ?? resolve(dirname(fileURLToPath(import.meta.url)), '../../dist');
/** Placed on shard 3 of 4 by the hash of its name. */
const TENANT = 'globex';
const TOP_STEPS = ['shard-origin', 'top-signature', 'shard-root', 'top-leaf', 'top-size', 'top-path'];

for (const db of ['h2', 'postgres'] as const) {
  describe(`console on a log of four shards (${db === 'h2' ? 'H2' : 'PostgreSQL'}, page from the ${SERVE_FROM === 'jar' ? 'jar' : 'test proxy'})`, () => {
    let service: Service;
    let proxy: Awaited<ReturnType<typeof startProxy>> | null = null;
    let browser: Browser;
    let consoleUrl: string;
    let token: string;
    let verifierKey: string;
    let shard: number;
    let seqs: number[];
    const open: ConsolePage[] = [];

    before(async () => {
      service = await startService(db, { env: { PRIVACYKIT_AUDIT_SHARDS: '4' } });
      if (SERVE_FROM === 'proxy') proxy = await startProxy(DIST, service.baseUrl);
      consoleUrl = proxy?.baseUrl ?? service.baseUrl;
      token = await service.mint(TENANT);
      const api = client(service.baseUrl, token);
      ({ tenant_shard: shard } = await api.get<{ tenant_shard: number }>('/v1/audit/shards'));
      // Two rounds, so the top-level log holds more than one checkpoint of the shard.
      seqs = [await appendAndProve(service.baseUrl, token, 3), await appendAndProve(service.baseUrl, token, 2)];
      ({ verifier_key: verifierKey } = await api.get<{ verifier_key: string }>('/v1/audit/checkpoint'));
      browser = await launch();
    });
    after(async () => {
      await browser?.close();
      await proxy?.close();
      await service?.stop();
    });
    afterEach(async () => {
      try {
        for (const p of open) await assertClean(p);
      } finally {
        for (const p of open.splice(0)) await p.close();
      }
    });

    const pinned = async () => {
      const p = await openConsole(browser, consoleUrl);
      open.push(p);
      await p.signIn(token);
      await p.go('settings');
      await p.page.locator('#verifier-key').fill(verifierKey);
      await p.page.getByRole('button', { name: 'Pin', exact: true }).click();
      await p.page.locator('[data-pinned-state=valid]').waitFor();
      return p;
    };
    const verify = async (p: ConsolePage, seq: number) => {
      await p.go('audit?limit=100');
      await p.page.locator(`button[data-verify="${seq}"]`).click();
      const result = p.page.locator(`tr[data-proof-for="${seq}"] .proof:not([data-verdict=running])`);
      await result.waitFor();
      const steps = await result.locator('li[data-step]').evaluateAll((els) => els.map((el) => [el.getAttribute('data-step'), el.getAttribute('data-state')]));
      return {
        result,
        verdict: await result.getAttribute('data-verdict'),
        shard: await result.getAttribute('data-shard'),
        text: await result.innerText(),
        states: Object.fromEntries(steps) as Record<string, string>,
      };
    };

    test('the tenant is on a shard other than 0', () => {
      assert.equal(shard, 3);
    });

    test('"verify in this browser" proves an entry of shard 3 up to the top-level checkpoint', async () => {
      const p = await pinned();
      for (const seq of seqs) {
        const proof = await verify(p, seq);
        assert.equal(proof.verdict, 'proven', proof.text);
        assert.equal(proof.shard, '3');
        for (const step of TOP_STEPS) assert.equal(proof.states[step], 'pass', `${step}: ${proof.text}`);
        assert.deepEqual(Object.entries(proof.states).filter(([, state]) => state !== 'pass'), [], 'every step passes');
        assert.match(proof.text, new RegExp(`Entry ${seq} is in shard 3 of the log: .* which top-level entry \\d+ records under the \\d+-entry top-level checkpoint`));
        assert.match(proof.text, /PASS Top-level leaf recomputed in this browser: calculated [0-9a-f]{64} for top-level entry \d+ \(privacykit:shard:3 recorded \d+:[0-9a-f]{64}\)/);
      }
      if (db === 'h2') await p.screenshot('audit-proven-sharded');
    });

    test('a top-level half whose shard root was changed on the way fails', async () => {
      const p = await pinned();
      await p.page.route('**/v1/audit/proofs/inclusion?*', async (route) => {
        const response = await route.fetch();
        const proof = (await response.json()) as { top: { shard_root: string } };
        proof.top.shard_root = proof.top.shard_root.replace(/^./, (c) => (c === '0' ? '1' : '0'));
        await route.fulfill({ response, json: proof });
      });
      const proof = await verify(p, seqs[0]!);
      assert.equal(proof.verdict, 'failed', proof.text);
      assert.equal(proof.states['shard-root'], 'fail');
      assert.equal(proof.states['top-leaf'], 'fail');
      assert.match(proof.text, /Verification FAILED/);
      assert.match(proof.text, /Entry \d+ \(shard 3\) does NOT verify: Shard checkpoint recorded in the top-level log: the signed shard checkpoint has size \d+, root [0-9a-f]{64}; the top-level entry records size \d+, root [0-9a-f]{64}/);
    });
  });
}

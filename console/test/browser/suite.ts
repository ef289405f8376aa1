// What both browser suites share: the service (H2 or PostgreSQL), the page's origin (the jar, or
// the test's proxy), tokens, the seed and the browser.
import { resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { launch } from './browser.ts';
import { SERVE_FROM } from './config.ts';
import { seed, TENANT_A, TENANT_B, type Seeded } from './seed.ts';
import { seedRights, TENANT_C, type SeededRights } from './seed-rights.ts';
import { client, startService, type Service } from './service.ts';
import { startProxy } from './static-server.ts';

const DIST = process.env['CONSOLE_DIST'] ?? resolve(dirname(fileURLToPath(import.meta.url)), '../../dist');

export interface Suite {
  service: Service;
  /** Where the page is loaded from: the service itself, or the proxy in front of it. */
  consoleUrl: string;
  tokens: { adminA: string; adminB: string; adminC: string; consentsOnlyA: string; auditOnlyA: string };
  seeded: Seeded;
  rights: SeededRights;
  browser: Browser;
  verifierKey: string;
  stop(): Promise<void>;
}

export async function startSuite(db: 'h2' | 'postgres'): Promise<Suite> {
  const service = await startService(db);
  let proxy: Awaited<ReturnType<typeof startProxy>> | null = null;
  let browser: Browser | null = null;
  try {
    if (SERVE_FROM === 'proxy') proxy = await startProxy(DIST, service.baseUrl);
    const [adminA, adminB, adminC, consentsOnlyA, auditOnlyA] = await Promise.all([
      service.mint(TENANT_A),
      service.mint(TENANT_B),
      service.mint(TENANT_C),
      service.mint(TENANT_A, ['consents:read']),
      service.mint(TENANT_A, ['audit:read']),
    ]);
    const seeded = await seed(service.baseUrl, adminA, adminB);
    const rights = await seedRights(service, adminA, adminB, adminC);
    // The operator's out-of-band copy of the verifier key (here: read by the test, not the page).
    const { verifier_key: verifierKey } = await client(service.baseUrl, adminA).get<{ verifier_key: string }>('/v1/audit/checkpoint');
    browser = await launch();
    const b = browser;
    const p = proxy;
    return {
      service,
      consoleUrl: proxy?.baseUrl ?? service.baseUrl,
      tokens: { adminA, adminB, adminC, consentsOnlyA, auditOnlyA },
      seeded,
      rights,
      browser,
      verifierKey,
      async stop() {
        await b.close();
        await p?.close();
        await service.stop();
      },
    };
  } catch (e) {
    await browser?.close();
    await proxy?.close();
    await service.stop();
    throw e;
  }
}

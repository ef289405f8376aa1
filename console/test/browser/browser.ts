// Headless Debian Chromium through playwright-core, with every CSP violation, uncaught error and
// failed page asset recorded: a test that leaves any fails.
import { mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { CHROMIUM, CHROMIUM_ARGS } from './config.ts';

export const SCREENSHOTS = resolve(dirname(fileURLToPath(import.meta.url)), '../../target/screenshots');

export async function launch(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
}

export interface ConsolePage {
  page: Page;
  context: BrowserContext;
  /** CSP violations and console errors about policy, uncaught errors, failed page assets. */
  problems: string[];
  /** Responses of /v1 with status 400 or more (some tests expect them). */
  apiErrors: string[];
  signIn(token: string, remember?: boolean): Promise<void>;
  go(hash: string): Promise<void>;
  screenshot(name: string): Promise<void>;
  close(): Promise<void>;
}

const WATCH_CSP = `
  window.__cspViolations = [];
  document.addEventListener('securitypolicyviolation', (e) => {
    window.__cspViolations.push(e.violatedDirective + ' blocked ' + (e.blockedURI || 'inline') + ' at ' + e.sourceFile + ':' + e.lineNumber);
  });
`;

/** A fresh context (its own sessionStorage) on the console at `baseUrl`. */
export async function openConsole(browser: Browser, baseUrl: string): Promise<ConsolePage> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-GB', timezoneId: 'UTC' });
  await context.addInitScript(WATCH_CSP);
  const page = await context.newPage();
  const problems: string[] = [];
  const apiErrors: string[] = [];
  page.on('console', (message) => {
    const text = message.text();
    if (message.type() === 'error' && !/^Failed to load resource: the server responded with a status of 4\d\d/.test(text)) {
      problems.push(`console error: ${text}`);
    }
    if (/Content Security Policy|Refused to/i.test(text)) problems.push(`CSP: ${text}`);
  });
  page.on('pageerror', (error) => problems.push(`uncaught: ${error.message}`));
  page.on('response', (response) => {
    const url = new URL(response.url());
    if (response.status() >= 400) {
      if (url.pathname.startsWith('/v1/')) apiErrors.push(`${response.status()} ${url.pathname}`);
      else problems.push(`asset ${response.status()}: ${url.pathname}`);
    }
  });
  page.on('requestfailed', (request) => problems.push(`request failed: ${request.url()} ${request.failure()?.errorText}`));
  const collectViolations = async () => {
    const found = (await page.evaluate('window.__cspViolations || []').catch(() => [])) as string[];
    for (const v of found) problems.push(`securitypolicyviolation: ${v}`);
    await page.evaluate('window.__cspViolations = []').catch(() => {});
  };
  const consolePage: ConsolePage = {
    page,
    context,
    problems,
    apiErrors,
    async signIn(token, remember = false) {
      await page.goto(`${baseUrl}/console/`);
      await page.locator('textarea#token').fill(token);
      if (remember) await page.locator('input[name=remember]').check();
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.locator('nav[aria-label=Views]').waitFor();
    },
    async go(hash) {
      await page.evaluate((h) => {
        location.hash = h;
      }, hash);
    },
    async screenshot(name) {
      mkdirSync(SCREENSHOTS, { recursive: true });
      await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
    },
    async close() {
      await collectViolations();
      await context.close();
    },
  };
  // Violations are also read before each check that the page is clean.
  (consolePage as ConsolePage & { collect: () => Promise<void> }).collect = collectViolations;
  return consolePage;
}

/** Fails if the page recorded any problem (CSP violation, uncaught error, failed asset). */
export async function assertClean(p: ConsolePage): Promise<void> {
  await (p as ConsolePage & { collect: () => Promise<void> }).collect();
  if (p.problems.length > 0) throw new Error(`the page had problems:\n${p.problems.join('\n')}`);
}

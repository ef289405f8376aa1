// The built page (dist/, or CONSOLE_DIST) obeys the service's CSP: no inline script or style, no
// eval, every asset under /console/ and none inlined as a data: URL.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const DIST = process.env['CONSOLE_DIST'] ?? resolve(dirname(fileURLToPath(import.meta.url)), '../../dist');

test('builtIndexHtml_hasNoInlineScriptOrStyle_andLoadsFromConsoleAssets', { skip: !existsSync(join(DIST, 'index.html')) && 'not built' }, () => {
  const html = readFileSync(join(DIST, 'index.html'), 'utf8');
  const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)];
  assert.ok(scripts.length >= 1);
  for (const [, attributes, body] of scripts) {
    assert.match(attributes!, /\ssrc="\/console\/assets\/[^"]+\.js"/);
    assert.equal(body!.trim(), '', 'inline script');
  }
  assert.doesNotMatch(html, /<style|\sstyle=|\son[a-z]+=/i);
  assert.match(html, /<link rel="stylesheet"[^>]* href="\/console\/assets\/[^"]+\.css"/);
});

test('builtAssets_useNoEvalAndNoDataUrls', { skip: !existsSync(join(DIST, 'assets')) && 'not built' }, () => {
  for (const name of readdirSync(join(DIST, 'assets'))) {
    const text = readFileSync(join(DIST, 'assets', name), 'utf8');
    if (name.endsWith('.js')) assert.doesNotMatch(text, /\beval\(|new Function\(/, name);
    if (name.endsWith('.css')) assert.doesNotMatch(text, /url\(\s*["']?data:/, name);
  }
});

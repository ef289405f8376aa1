// Packs the package, installs the tarball in a fresh project, and imports every subpath from
// ESM and requires each from CommonJS.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, symlinkSync, rmSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const pkg = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const subpaths = {
  '@privacykit/node': ['PrivacyKit', 'PrivacyKitError', 'PrivacyKitUnavailableError', 'AuditBatcher', 'verifyWebhookSignature'],
  '@privacykit/node/express': ['privacyKit'],
  '@privacykit/node/koa': ['privacyKit'],
  '@privacykit/node/fastify': ['privacyKitPlugin'],
  '@privacykit/node/nestjs': ['PrivacyKitModule', 'RequiresConsent', 'PrivacyKitGuard', 'PRIVACYKIT'],
  '@privacykit/node/testing': ['FakePrivacyKit', 'createFakePrivacyKit'],
};
let dir;
let project;

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'pk-node-pack-'));
  const out = execFileSync('npm', ['pack', '--json', '--pack-destination', dir], { cwd: pkg, encoding: 'utf8' });
  const [info] = JSON.parse(out);
  const files = info.files.map((f) => f.path);
  assert.ok(files.includes('dist/esm/index.js') && files.includes('dist/cjs/index.cjs') && files.includes('README.md'));
  assert.ok(!files.some((f) => f.startsWith('src/') || f.startsWith('test/') || f.startsWith('node_modules/')), 'only dist and docs are shipped');
  project = join(dir, 'project');
  mkdirSync(project);
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'pack-check', private: true }));
  execFileSync('npm', ['install', '--no-audit', '--no-fund', '--offline', '--ignore-scripts', join(dir, info.filename)], { cwd: project, stdio: 'pipe' });
  // the NestJS adapter needs its (optional) peers at runtime: borrow this package's dev copies
  for (const peer of ['@nestjs', 'reflect-metadata', 'rxjs']) {
    symlinkSync(join(pkg, 'node_modules', peer), join(project, 'node_modules', peer));
  }
});

after(() => rmSync(dir, { recursive: true, force: true }));

test('the tarball has no runtime dependencies', () => {
  const manifest = JSON.parse(execFileSync('node', ['-p', 'JSON.stringify(require("@privacykit/node/package.json"))'], { cwd: project, encoding: 'utf8' }));
  assert.equal(manifest.dependencies, undefined);
});

for (const [specifier, names] of Object.entries(subpaths)) {
  test(`import ${specifier} (ESM)`, () => {
    const file = join(project, `esm-${names[0]}.mjs`);
    writeFileSync(file, `import * as m from '${specifier}';\nconsole.log(JSON.stringify(${JSON.stringify(names)}.filter((n) => m[n] === undefined)));\n`);
    assert.equal(execFileSync('node', [file], { cwd: project, encoding: 'utf8' }).trim(), '[]');
  });
  test(`require ${specifier} (CJS)`, () => {
    const file = join(project, `cjs-${names[0]}.cjs`);
    writeFileSync(file, `const m = require('${specifier}');\nconsole.log(JSON.stringify(${JSON.stringify(names)}.filter((n) => m[n] === undefined)));\n`);
    assert.equal(execFileSync('node', [file], { cwd: project, encoding: 'utf8' }).trim(), '[]');
  });
}

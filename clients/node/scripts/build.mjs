#!/usr/bin/env node
// Builds dist/esm (ESM + .d.ts) and dist/cjs (CommonJS .cjs + .d.cts) with tsc.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync, rmSync, mkdirSync, renameSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const tsc = join(root, 'node_modules/typescript/bin/tsc');
rmSync(join(root, 'dist'), { recursive: true, force: true });
execFileSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.json')], { stdio: 'inherit' });
execFileSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.cjs.json')], { stdio: 'inherit' });

function walk(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)]));
}
const tmp = join(root, 'dist/cjs-tmp');
const out = join(root, 'dist/cjs');
for (const file of walk(tmp)) {
  const rel = file.slice(tmp.length + 1);
  let target;
  let text = readFileSync(file, 'utf8');
  if (rel.endsWith('.d.ts')) {
    target = rel.replace(/\.d\.ts$/, '.d.cts');
    text = text.replace(/(from\s+['"]\.{1,2}\/[^'"]*?)\.js(['"])/g, '$1.cjs$2').replace(/(import\(['"]\.{1,2}\/[^'"]*?)\.js(['"]\))/g, '$1.cjs$2');
  } else if (rel.endsWith('.js')) {
    target = rel.replace(/\.js$/, '.cjs');
    text = text.replace(/(require\(['"]\.{1,2}\/[^'"]*?)\.js(['"]\))/g, '$1.cjs$2');
  } else continue;
  mkdirSync(dirname(join(out, target)), { recursive: true });
  writeFileSync(join(out, target), text);
}
rmSync(tmp, { recursive: true, force: true });
writeFileSync(join(out, 'package.json'), JSON.stringify({ type: 'commonjs' }) + '\n');
console.log('built dist/esm and dist/cjs');

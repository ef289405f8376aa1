#!/usr/bin/env node
// Keeps the hand-checked collection honest against openapi.yaml: every request must call an
// operation the document describes (method and path template) and must assert something.
//   node check-collection.mjs [COLLECTION]   (default privacykit.postman_collection.json)
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

const here = dirname(fileURLToPath(import.meta.url));
const spec = parse(
  readFileSync(join(here, '../../server/src/main/resources/dev/privacykit/server/openapi.yaml'), 'utf8'),
);
const collection = JSON.parse(
  readFileSync(process.argv[2] ?? join(here, 'privacykit.postman_collection.json'), 'utf8'),
);

// A documented path as a pattern: {param} matches one segment, as does a {{variable}} in a request.
const operations = Object.entries(spec.paths).flatMap(([path, item]) =>
  ['get', 'post', 'put', 'patch', 'delete']
    .filter((method) => item[method])
    .map((method) => ({
      method: method.toUpperCase(),
      id: item[method].operationId,
      segments: path.split('/').filter(Boolean),
    })),
);
const matches = (documented, actual) =>
  documented.length === actual.length &&
  documented.every((segment, i) => segment === actual[i] || /^\{[^}]+\}$/.test(segment));
// A literal segment beats a {param} one (GET /v1/requests/{id}/package over /v1/requests/{id}/{step}).
const literals = (op) => op.segments.filter((s) => !s.startsWith('{')).length;

const problems = [];
let checked = 0;
(function walk(items, trail) {
  for (const item of items) {
    const name = [...trail, item.name].join(' / ');
    if (item.item) {
      walk(item.item, [...trail, item.name]);
      continue;
    }
    checked++;
    const { method, url } = item.request;
    const raw = typeof url === 'string' ? url : url.raw;
    const path = raw.replace(/^\{\{baseUrl\}\}/, '').split('?')[0];
    const actual = path.split('/').filter(Boolean);
    const found = operations
      .filter((op) => op.method === method && matches(op.segments, actual))
      .sort((a, b) => literals(b) - literals(a))[0];
    if (!found) problems.push(`${name}: ${method} ${path} is not an operation of openapi.yaml`);
    const tests = (item.event ?? []).filter((e) => e.listen === 'test').flatMap((e) => e.script.exec);
    if (!tests.some((line) => line.includes('pm.test('))) problems.push(`${name}: no pm.test assertion`);
  }
})(collection.item, []);

if (problems.length) {
  console.error(problems.join('\n'));
  process.exit(1);
}
console.log(`${checked} requests, each a documented operation with assertions`);

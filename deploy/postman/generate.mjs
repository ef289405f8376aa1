#!/usr/bin/env node
// Generates privacykit-api.postman_collection.json (every operation, grouped by tag, with examples)
// from the service's OpenAPI document with openapi-to-postmanv2.
//   node generate.mjs           write it
//   node generate.mjs --check   exit 1 when the committed file differs (openapi.yaml changed)
// The output is made stable so that it can be committed and checked: no random ids, placeholder
// values from the schemas (not faked ones), and the bearer token taken from the {{token}} variable
// that development.postman_environment.json defines.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

// The converter fills enum values by picking at random, with the Math.random it finds when loaded:
// a seeded generator set before loading it keeps every run the same.
Math.random = seeded(17);
const require = createRequire(import.meta.url);
const converter = require('openapi-to-postmanv2');

const here = dirname(fileURLToPath(import.meta.url));
const spec = join(here, '../../server/src/main/resources/dev/privacykit/server/openapi.yaml');
const out = join(here, 'privacykit-api.postman_collection.json');
const check = process.argv.includes('--check');

const options = {
  folderStrategy: 'Tags',
  requestNameSource: 'Fallback', // the operation's summary
  parametersResolution: 'Schema', // <string>, <integer>: placeholders, never random values
  includeAuthInfoInExample: false,
  enableOptionalParameters: false, // optional query parameters are listed but off
  alwaysInheritAuthentication: true, // one bearer token, set on the collection
};

const converted = await new Promise((resolve, reject) =>
  converter.convertV2({ type: 'file', data: spec }, options, (error, result) =>
    error ? reject(error) : result.result ? resolve(result) : reject(new Error(result.reason))),
);
const collection = stable(converted.output[0].data);
const text = `${JSON.stringify(collection, null, 2)}\n`.replaceAll('{{bearerToken}}', '{{token}}');

if (check) {
  const current = existsSync(out) ? readFileSync(out, 'utf8') : '';
  if (current !== text) {
    console.error(`${relative(process.cwd(), out)} is stale against openapi.yaml: run npm run generate`);
    process.exit(1);
  }
  console.log(`${relative(process.cwd(), out)} is up to date with openapi.yaml`);
} else {
  writeFileSync(out, text);
  console.log(`wrote ${relative(process.cwd(), out)} (${count(collection)} requests)`);
}

/**
 * Drops the converter's random ids, keeps only the success examples of each request (every error is
 * the same Problem, described in openapi.yaml), and gives the collection an id derived from its name.
 */
function stable(node) {
  if (Array.isArray(node)) return node.map(stable);
  if (node === null || typeof node !== 'object') return node;
  const copy = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === 'id') continue;
    copy[key] = key === 'response' && Array.isArray(value)
      ? value.filter((example) => example.code < 400).map(stable)
      : stable(value);
  }
  if (copy.info) {
    const digest = createHash('sha256').update(`privacykit-api:${copy.info.name}`).digest('hex');
    copy.info._postman_id = [digest.slice(0, 8), digest.slice(8, 12), `5${digest.slice(13, 16)}`,
      `8${digest.slice(17, 20)}`, digest.slice(20, 32)].join('-');
  }
  return copy;
}

/** mulberry32: a small deterministic generator in [0, 1). */
function seeded(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function count(node) {
  return (node.item ?? []).reduce((n, item) => n + (item.request ? 1 : count(item)), 0);
}

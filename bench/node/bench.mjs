// Orchestrates the @privacykit/node benchmark; see run.sh. JSON lines on stdout, progress on stderr.
import { spawn, execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import net from 'node:net';
import { randomBytes } from 'node:crypto';
import { PrivacyKit } from '@privacykit/node';
import { startService } from '../../clients/node/test/integration/service.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const ROUNDS = Number(process.env.ROUNDS ?? 3);
const DURATION = process.env.DURATION ?? '8s';
const WARMUP = process.env.WARMUP ?? '3s';
const CONNS = Number(process.env.CONNS ?? 32);
const THREADS = Number(process.env.THREADS ?? 2);
const SUBJECTS = Number(process.env.SUBJECTS ?? 200);
const PEER_SRC = process.env.PEER_DIR ?? '/work/shared/peers/express-consent';
const log = (...a) => console.error(`[bench ${new Date().toISOString().slice(11, 19)}]`, ...a);
const emit = (o) => console.log(JSON.stringify(o));
const cleanup = [];

const freePort = () =>
  new Promise((r) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => r(port));
    });
  });

function startProcess(cmd, args, opts, ready) {
  const child = spawn(cmd, args, { ...opts, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  cleanup.push(() => child.exitCode === null && child.kill('SIGTERM'));
  return new Promise((res, rej) => {
    const t = setTimeout(() => rej(new Error(`${cmd} did not start:\n${out}`)), 60_000);
    const on = (d) => {
      out += d;
      const m = ready.exec(out);
      if (m) {
        clearTimeout(t);
        res({ child, match: m });
      }
    };
    child.stdout.on('data', on);
    child.stderr.on('data', on);
    child.once('exit', (c) => rej(new Error(`${cmd} exited ${c}:\n${out}`)));
  });
}

function wrk(url, { duration = DURATION, env = {}, script = join(here, 'load.lua') } = {}) {
  const out = execFileSync('wrk', [`-t${THREADS}`, `-c${CONNS}`, `-d${duration}`, '--latency', '-s', script, url], {
    env: { ...process.env, ...env },
    encoding: 'utf8',
    maxBuffer: 1 << 24,
  });
  const line = out.split('\n').find((l) => l.startsWith('RESULT'));
  return Object.fromEntries(line.split(' ').slice(1).map((kv) => kv.split('=')).map(([k, v]) => [k, k === 'path' ? v : Number(v)]));
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const round3 = (x) => Math.round(x * 1000) / 1000;

async function main() {
  // 1. PrivacyKit service on PostgreSQL, rate limits off
  log('starting the PrivacyKit service on PostgreSQL (PRIVACYKIT_RATE_PER_IP=0, PRIVACYKIT_RATE_PER_PRINCIPAL=0)');
  const service = await startService({ db: 'postgres', env: { PRIVACYKIT_RATE_PER_IP: '0', PRIVACYKIT_RATE_PER_PRINCIPAL: '0' } });
  cleanup.push(() => service.stop());
  const token = await service.mint();
  const admin = new PrivacyKit({ baseUrl: service.baseUrl, token, cache: { ttlMs: 0 } });
  for (let i = 1; i <= SUBJECTS; i += 20) {
    await Promise.all(
      Array.from({ length: Math.min(20, SUBJECTS - i + 1) }, (_, k) => admin.consents.give(`subject-${i + k}`, 'email_marketing', { notice_version: 2 })),
    );
  }
  const keys = await fetch(`${service.baseUrl}/v1/audit/events`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ action: 'read', subject: 'probe', idempotency_key: 'probe-1' }),
  }).then((r) => r.status === 201);
  log(`consent given to ${SUBJECTS} subjects; audit idempotency keys ${keys ? 'supported' : 'NOT supported by this jar: sent without'}`);

  // 2. the app under test (bare /hello and the guarded route)
  const app = await startProcess('node', [join(here, 'app.mjs')], {
    env: { ...process.env, PORT: '0', PRIVACYKIT_URL: service.baseUrl, PRIVACYKIT_TOKEN: token, AUDIT_KEYS: keys ? '1' : '0' },
  }, /listening (\d+)/);
  const appUrl = `http://127.0.0.1:${app.match[1]}`;

  // 3. the hand-written peer, copied out of shared/ (read-only), on its own database
  const peerDir = mkdtempSync(join(tmpdir(), 'pk-bench-peer-'));
  cleanup.push(() => rmSync(peerDir, { recursive: true, force: true }));
  cpSync(PEER_SRC, peerDir, { recursive: true, filter: (src) => !/node_modules|\/keys(\/|$)/.test(src) });
  log(`peer copied to ${peerDir}; npm ci`);
  execFileSync('npm', ['ci', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: peerDir, stdio: ['ignore', 'ignore', 'inherit'] });
  const db = `peer_bench_${randomBytes(4).toString('hex')}`;
  execFileSync('psql', ['-h', '127.0.0.1', '-U', 'postgres', '-d', 'test', '-qc', `CREATE DATABASE ${db}`]);
  cleanup.push(() => execFileSync('psql', ['-h', '127.0.0.1', '-U', 'postgres', '-d', 'test', '-qc', `DROP DATABASE IF EXISTS ${db} WITH (FORCE)`]));
  const peerEnv = { ...process.env, DATABASE_URL: `postgres://postgres@127.0.0.1:5432/${db}`, SUBJECTS: '10000', WORKERS: '1' };
  execFileSync('node', ['seed.mjs'], { cwd: peerDir, env: peerEnv, stdio: ['ignore', 'ignore', 'inherit'] });
  execFileSync('node', ['mint.mjs'], { cwd: peerDir, env: peerEnv, stdio: ['ignore', 'ignore', 'inherit'] });
  const peerPort = await freePort();
  await startProcess('node', ['server.mjs'], { cwd: peerDir, env: { ...peerEnv, PORT: String(peerPort) } }, /listen|127\.0\.0\.1:\d+/i);
  const peerUrl = `http://127.0.0.1:${peerPort}`;
  for (let i = 0; i < 100; i++) {
    const ok = await fetch(`${peerUrl}/hello`).then((r) => r.ok, () => false);
    if (ok) break;
    await new Promise((r) => setTimeout(r, 100));
  }

  const targets = {
    'express-hello': () => wrk(`${appUrl}/hello`),
    'peer-express-consent': () =>
      wrk(`${peerUrl}/v1/consents/check`, {
        script: join(peerDir, 'bench.lua'),
        env: { TOKEN_FILE: join(peerDir, 'keys/token.jwt'), BENCH_PATH: '/v1/consents/check', RANDOM_SUBJECT: '1', SUBJECTS: '10000' },
      }),
    'privacykit-node-guarded': () => wrk(`${appUrl}/guarded`, { env: { BENCH_PATH: '/guarded', SUBJECTS: String(SUBJECTS) } }),
  };
  const peerScriptResult = (r) => r; // the peer's bench.lua prints the same RESULT fields

  log(`warm-up ${WARMUP} each`);
  for (const [name, run] of Object.entries(targets)) {
    if (name === 'peer-express-consent')
      wrk(`${peerUrl}/v1/consents/check`, {
        duration: WARMUP,
        script: join(peerDir, 'bench.lua'),
        env: { TOKEN_FILE: join(peerDir, 'keys/token.jwt'), BENCH_PATH: '/v1/consents/check', RANDOM_SUBJECT: '1', SUBJECTS: '10000' },
      });
    else if (name === 'express-hello') wrk(`${appUrl}/hello`, { duration: WARMUP });
    else wrk(`${appUrl}/guarded`, { duration: WARMUP, env: { BENCH_PATH: '/guarded', SUBJECTS: String(SUBJECTS) } });
    void run;
  }
  const statsBefore = await fetch(`${appUrl}/stats`).then((r) => r.json());

  // 4. interleaved rounds: hello, peer, hello, guarded
  const runs = { 'express-hello': [], 'peer-express-consent': [], 'privacykit-node-guarded': [] };
  const pairs = { 'peer-express-consent': [], 'privacykit-node-guarded': [] };
  for (let r = 1; r <= ROUNDS; r++) {
    for (const subject of ['peer-express-consent', 'privacykit-node-guarded']) {
      const base = targets['express-hello']();
      const got = peerScriptResult(targets[subject]());
      runs['express-hello'].push(base);
      runs[subject].push(got);
      pairs[subject].push(got.rps / base.rps);
      log(`round ${r}: hello ${base.rps.toFixed(0)} req/s, ${subject} ${got.rps.toFixed(0)} req/s (non-2xx ${got.non2xx}, errors ${got.socket_errors})`);
    }
  }

  // 5. every guarded request's audit entry committed?
  const closed = await fetch(`${appUrl}/close`, { method: 'POST' }).then((r) => r.json());
  const stats = await fetch(`${appUrl}/stats`).then((r) => r.json());
  let committed = 0;
  for await (const _ of admin.audit.query({ actor: 'bench-node', limit: 1000 })) committed++;

  const summary = (xs) => ({
    rps: Math.round(median(xs.map((x) => x.rps))),
    p50_ms: round3(median(xs.map((x) => x.p50_ms))),
    p99_ms: round3(median(xs.map((x) => x.p99_ms))),
    runs: xs.map((x) => ({ rps: Math.round(x.rps), p50_ms: x.p50_ms, p99_ms: x.p99_ms, non2xx: x.non2xx, socket_errors: x.socket_errors })),
  });
  emit({ bench: 'express-hello', baseline: null, ratio: 1, spread_min: 1, spread_max: 1, ...summary(runs['express-hello']) });
  for (const subject of ['peer-express-consent', 'privacykit-node-guarded']) {
    const extra =
      subject === 'privacykit-node-guarded'
        ? {
            requests_answered: stats.audited,
            audit_committed: committed,
            audit_all_committed: committed === stats.audited,
            batcher: closed,
            cache_hits: stats.cache.hits,
            cache_misses: stats.cache.misses,
            idempotency_keys: keys,
          }
        : { workers: 1 };
    emit({
      bench: subject,
      baseline: 'express-hello',
      ratio: round3(median(pairs[subject])),
      spread_min: round3(Math.min(...pairs[subject])),
      spread_max: round3(Math.max(...pairs[subject])),
      ...summary(runs[subject]),
      ...extra,
    });
  }
  void statsBefore;

  // 6. micro-benchmark: a consent check answered from the cache
  {
    const answer = JSON.stringify({ subject: 's', allowed: true, results: { p: { allowed: true, reason: 'consent_valid', detail: '' } } });
    const client = new PrivacyKit({ baseUrl: 'http://127.0.0.1:9', token: 't', cache: { ttlMs: 3_600_000 }, fetch: async () => new Response(answer) });
    const req = { subject: 's', purposes: ['p'] };
    await client.consents.check(req);
    const N = 300_000;
    for (let i = 0; i < 50_000; i++) await client.consents.check(req);
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < N; i++) await client.consents.check(req);
    const us = Number(process.hrtime.bigint() - t0) / 1000 / N;
    emit({ bench: 'check-cache-hit', baseline: null, ratio: null, spread_min: null, spread_max: null, us_per_check: round3(us), iterations: N });
  }

  // 7. batcher end-to-end throughput against the service
  {
    const client = new PrivacyKit({ baseUrl: service.baseUrl, token, audit: { maxBatch: 500, maxQueue: 50_000, flushIntervalMs: 100, idempotencyKeys: keys } });
    const N = 20_000;
    const t0 = performance.now();
    for (let i = 0; i < N; i++) client.audit.record({ action: 'read', subject: `subject-${i % 1000}`, actor: 'bench-batcher', purpose: 'email_marketing' });
    const result = await client.close({ timeoutMs: 120_000 });
    const seconds = (performance.now() - t0) / 1000;
    emit({ bench: 'batcher-throughput', baseline: null, ratio: null, spread_min: null, spread_max: null, events: N, seconds: round3(seconds), events_per_s: Math.round(result.sent / seconds), ...result });
  }
}

try {
  await main();
} finally {
  for (const f of cleanup.reverse()) {
    try {
      await f();
    } catch (e) {
      log('cleanup:', e.message);
    }
  }
}

// Starts the real PrivacyKit jar for integration tests (H2, or PostgreSQL with
// PRIVACYKIT_IT_DB=postgres) on a free port with a fresh data dir, and stops it.
import { spawn, execFile } from 'node:child_process';
import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { randomBytes } from 'node:crypto';

const run = promisify(execFile);
const repo = resolve(dirname(fileURLToPath(import.meta.url)), '../../../..');
export const JAR = process.env.PRIVACYKIT_JAR ?? join(repo, 'server/target/privacykit.jar');
export const PG_URL = process.env.PRIVACYKIT_IT_POSTGRES_URL ?? 'jdbc:postgresql://127.0.0.1:5432/test?user=postgres';

function databaseEnv(db, schema) {
  if (db === 'h2') return {};
  if (db !== 'postgres') throw new Error(`database must be h2 or postgres, not ${db}`);
  return { PRIVACYKIT_DATABASE_URL: PG_URL, PRIVACYKIT_DATABASE_SCHEMA: schema };
}

/** Starts the service (H2, or PostgreSQL at PRIVACYKIT_IT_POSTGRES_URL in a fresh schema); resolves once it listens. Call stop() in an after hook (also on failure). */
export async function startService({ db = 'h2', env = {}, timeoutMs = 90_000 } = {}) {
  if (!existsSync(JAR)) throw new Error(`service jar not found at ${JAR} (set PRIVACYKIT_JAR)`);
  const dataDir = mkdtempSync(join(tmpdir(), 'pk-node-it-'));
  const schema = `node_it_${randomBytes(6).toString('hex')}`;
  const fullEnv = {
    ...process.env,
    PRIVACYKIT_RATE_PER_IP: '0',
    PRIVACYKIT_RATE_PER_PRINCIPAL: '0',
    ...databaseEnv(db, schema),
    ...env,
  };
  const child = spawn('java', ['-Xmx384m', '-XX:TieredStopAtLevel=1', '-jar', JAR, 'serve', '--port', '0', '--host', '127.0.0.1', '--data-dir', dataDir], {
    env: fullEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // watchdog: if this test process dies without its after hooks (killed, timed out), the service goes too
  spawn('sh', ['-c', `while kill -0 ${process.pid} 2>/dev/null && kill -0 ${child.pid} 2>/dev/null; do sleep 1; done; kill -9 ${child.pid} 2>/dev/null`], {
    stdio: 'ignore',
    detached: true,
  }).unref();
  let log = '';
  const exited = new Promise((r) => child.once('exit', (code, signal) => r({ code, signal })));
  const port = await new Promise((resolvePort, reject) => {
    const timer = setTimeout(() => reject(new Error(`service did not start in ${timeoutMs} ms:\n${log}`)), timeoutMs);
    const onData = (chunk) => {
      log += chunk;
      const m = /listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(log);
      if (m) {
        clearTimeout(timer);
        resolvePort(Number(m[1]));
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    exited.then(({ code }) => {
      clearTimeout(timer);
      reject(new Error(`service exited (${code}) before listening:\n${log}`));
    });
  });
  const baseUrl = `http://127.0.0.1:${port}`;
  const service = {
    baseUrl,
    port,
    dataDir,
    schema,
    child,
    get log() {
      return log;
    },
    async mint({ tenant = 'demo', scopes, subject } = {}) {
      const args = ['-jar', JAR, 'token', 'mint', '--data-dir', dataDir, '--tenant', tenant];
      if (scopes) args.push('--scopes', scopes.join(','));
      if (subject) args.push('--subject', subject);
      const { stdout } = await run('java', args, { env: fullEnv, timeout: 60_000 });
      return stdout.trim().split('\n').pop();
    },
    /** Kills the process (SIGKILL after 10 s) and waits for it. */
    async kill() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const t = setTimeout(() => child.kill('SIGKILL'), 10_000);
        await exited;
        clearTimeout(t);
      }
    },
    async stop() {
      await service.kill();
      rmSync(dataDir, { recursive: true, force: true });
      if (db === 'postgres') {
        // the schema and, on a sharded audit log, its shards' and top-level log's (<schema>_audit_s<n>, <schema>_audit_top)
        const drop = `DO $$ DECLARE s text; BEGIN
          FOR s IN SELECT nspname FROM pg_namespace WHERE nspname = '${schema}' OR nspname LIKE '${schema}\\_audit\\_%' LOOP
            EXECUTE format('DROP SCHEMA %I CASCADE', s);
          END LOOP; END $$`;
        await run('psql', ['-h', '127.0.0.1', '-U', 'postgres', '-d', 'test', '-v', 'ON_ERROR_STOP=1', '-c', drop], { timeout: 30_000 });
      }
    },
  };
  process.once('exit', () => child.kill('SIGKILL'));
  return service;
}

/** Does the service take `idempotency_key` on audit events? (the contract being added to the jar) */
export async function supportsAuditIdempotency(baseUrl, token) {
  const res = await fetch(`${baseUrl}/v1/audit/events`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ action: 'read', subject: 'probe', idempotency_key: `probe-${randomBytes(4).toString('hex')}` }),
  });
  return res.status === 201;
}

/** Polls until `predicate` is truthy; returns its value. */
export async function eventually(predicate, { timeoutMs = 15_000, intervalMs = 50 } = {}) {
  const end = Date.now() + timeoutMs;
  let last;
  for (;;) {
    try {
      const value = await predicate();
      if (value) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > end) throw new Error(`not true within ${timeoutMs} ms${last ? `: ${last.message}` : ''}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

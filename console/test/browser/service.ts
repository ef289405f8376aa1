// The real PrivacyKit jar for the browser tests: copied to a temp file first (the build replaces
// server/target/privacykit.jar now and then), started on a free port with a fresh data dir (H2),
// or on PostgreSQL in a fresh schema; development tokens minted by the same copy.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const repo = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
export const JAR = process.env['PRIVACYKIT_JAR'] ?? join(repo, 'server/target/privacykit.jar');
export const PG_URL = process.env['PRIVACYKIT_IT_POSTGRES_URL'] ?? 'jdbc:postgresql://127.0.0.1:5432/test?user=postgres';

export interface Service {
  baseUrl: string;
  dataDir: string;
  schema: string | null;
  /** A development token; `subject` defaults to console-<tenant> (a data principal's token names the principal). */
  mint(tenant: string, scopes?: string[], subject?: string): Promise<string>;
  /** psql against the service's schema (PostgreSQL only). */
  sql(statements: string): Promise<string>;
  stop(): Promise<void>;
  readonly log: string;
}

export interface ServiceOptions {
  /** Settings on top of the test defaults, e.g. PRIVACYKIT_AUDIT_SHARDS. */
  env?: Record<string, string>;
  timeoutMs?: number;
}

export async function startService(db: 'h2' | 'postgres', options: ServiceOptions = {}): Promise<Service> {
  const timeoutMs = options.timeoutMs ?? 120_000;
  if (!existsSync(JAR)) throw new Error(`service jar not found at ${JAR} (build it, or set PRIVACYKIT_JAR)`);
  const work = mkdtempSync(join(tmpdir(), 'pk-console-'));
  const jar = join(work, 'privacykit.jar');
  copyFileSync(JAR, jar);
  const dataDir = join(work, 'data');
  const schema = db === 'postgres' ? `console_it_${randomBytes(5).toString('hex')}` : null;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PRIVACYKIT_RATE_PER_IP: '0',
    PRIVACYKIT_RATE_PER_PRINCIPAL: '0',
    ...(schema ? { PRIVACYKIT_DATABASE_URL: PG_URL, PRIVACYKIT_DATABASE_SCHEMA: schema } : {}),
    ...options.env,
  };
  const child: ChildProcess = spawn(
    'java',
    ['-Xmx384m', '-XX:TieredStopAtLevel=1', '-jar', jar, 'serve', '--port', '0', '--host', '127.0.0.1', '--data-dir', dataDir],
    { env, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  // If this process dies without its after hooks, the service goes too.
  spawn('sh', ['-c', `while kill -0 ${process.pid} 2>/dev/null && kill -0 ${child.pid} 2>/dev/null; do sleep 1; done; kill -9 ${child.pid} 2>/dev/null`], {
    stdio: 'ignore',
    detached: true,
  }).unref();
  let log = '';
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const port = await new Promise<number>((resolvePort, reject) => {
    const timer = setTimeout(() => reject(new Error(`service did not start in ${timeoutMs} ms:\n${log}`)), timeoutMs);
    const onData = (chunk: Buffer) => {
      log += chunk.toString();
      const m = /listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(log);
      if (m) {
        clearTimeout(timer);
        resolvePort(Number(m[1]));
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    void exited.then(() => {
      clearTimeout(timer);
      reject(new Error(`service exited before listening:\n${log}`));
    });
  });
  const psql = async (sql: string) => {
    if (!schema) throw new Error('sql() needs the PostgreSQL service');
    const { stdout } = await run('psql', ['-h', '127.0.0.1', '-U', 'postgres', '-d', 'test', '-v', 'ON_ERROR_STOP=1', '-Atq', '-c', `SET search_path TO ${schema}; ${sql}`], {
      timeout: 30_000,
    });
    return stdout.trim();
  };
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    dataDir,
    schema,
    get log() {
      return log;
    },
    async mint(tenant, scopes, subject) {
      const args = ['-jar', jar, 'token', 'mint', '--data-dir', dataDir, '--tenant', tenant, '--subject', subject ?? `console-${tenant}`];
      if (scopes) args.push('--scopes', scopes.join(','));
      const { stdout } = await run('java', args, { env, timeout: 60_000 });
      return stdout.trim().split('\n').pop()!;
    },
    sql: psql,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const t = setTimeout(() => child.kill('SIGKILL'), 10_000);
        await exited;
        clearTimeout(t);
      }
      if (schema) {
        // A sharded log keeps each shard and its top-level log in schemas of their own, <schema>_audit_*.
        const drop = `DO $$ DECLARE n text; BEGIN
          FOR n IN SELECT nspname FROM pg_namespace WHERE nspname = '${schema}' OR nspname LIKE '${schema}\\_audit\\_%' LOOP
            EXECUTE format('DROP SCHEMA %I CASCADE', n);
          END LOOP; END $$`;
        await run('psql', ['-h', '127.0.0.1', '-U', 'postgres', '-d', 'test', '-q', '-c', drop], { timeout: 30_000 }).catch(() => {});
      }
      rmSync(work, { recursive: true, force: true });
    },
  };
}

/** A small API client for seeding and checks, as a backend would call the service. */
export function client(baseUrl: string, token: string) {
  const call = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const response = await fetch(baseUrl + path, {
      method,
      headers: { Authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
      body: body === undefined ? null : JSON.stringify(body),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text}`);
    return (text ? JSON.parse(text) : null) as T;
  };
  return {
    get: <T>(path: string) => call<T>('GET', path),
    post: <T>(path: string, body: unknown = {}) => call<T>('POST', path, body),
  };
}

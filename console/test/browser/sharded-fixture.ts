// Writes test/unit/fixtures/sharded-proof.json: what the real service answers on four shards, for
// the unit tests of the sharded proof (test/unit/shard.test.ts). Regenerate it with
//   PRIVACYKIT_JAR=server/target/privacykit.jar node --import tsx console/test/browser/sharded-fixture.ts
// Tenants are placed by a hash of their name: globex goes to shard 3, theta to shard 2, acme to 0.
import { writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AuditEntryView } from '../../src/proof/leaf.ts';
import type { CheckpointView, InclusionView } from '../../src/proof/prove.ts';
import { client, startService } from './service.ts';

const OUT = resolve(dirname(fileURLToPath(import.meta.url)), '../unit/fixtures/sharded-proof.json');

/** One tenant's entries and every answer proving them needs, keyed by the API path. */
export interface TenantRecording {
  tenant: string;
  shard: number;
  entries: AuditEntryView[];
  answers: Record<string, unknown>;
}

export interface ShardedFixture {
  generated_at: string;
  shard_count: number;
  /** The verifier key the operator pins (read from the service, as an operator would copy it). */
  verifier_key: string;
  tenants: TenantRecording[];
}

/**
 * Appends `count` entries for the token's tenant and asks for the newest one's proof, which makes the
 * service record the shard's current checkpoint in the top-level log (one more top-level entry).
 */
export async function appendAndProve(baseUrl: string, token: string, count: number): Promise<number> {
  const api = client(baseUrl, token);
  let seq = -1;
  for (let i = 0; i < count; i++) {
    ({ seq } = await api.post<{ seq: number }>('/v1/audit/events', {
      actor: `agent-${i}`,
      subject: `user-${i}`,
      action: i % 2 ? 'disclose' : 'read',
      purpose: 'order_fulfilment',
      ...(i % 2 ? { categories: ['user.contact.email'], recipient: 'courier', body: `address shared with the courier (${i})` } : {}),
    }));
  }
  await api.get(`/v1/audit/proofs/inclusion?seq=${seq}`);
  return seq;
}

/** The tenant's entries, and every answer proving each of them needs, as the service gives them now. */
export async function record(baseUrl: string, token: string, tenant: string): Promise<TenantRecording> {
  const api = client(baseUrl, token);
  const answers: Record<string, unknown> = {};
  const get = async <T>(path: string) => (answers[path] = await api.get<T>(path)) as T;
  const { tenant_shard: shard } = await api.get<{ tenant_shard: number }>('/v1/audit/shards');
  const { entries } = await api.get<{ entries: AuditEntryView[] }>('/v1/audit/events?limit=100');
  const sizes = new Set<number>();
  for (const e of entries) sizes.add((await get<InclusionView>(`/v1/audit/proofs/inclusion?seq=${e.seq}`)).tree_size);
  const latest = await get<CheckpointView>('/v1/audit/checkpoint');
  for (const size of sizes) {
    const [from, to] = size < latest.size ? [size, latest.size] : [latest.size, size];
    if (from !== to) await get(`/v1/audit/proofs/consistency?from=${from}&to=${to}`);
  }
  return { tenant, shard, entries, answers };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const service = await startService('h2', { env: { PRIVACYKIT_AUDIT_SHARDS: '4' } });
  try {
    const scopes = ['audit:read', 'audit:write'];
    const [globex, theta, acme] = await Promise.all(['globex', 'theta', 'acme'].map((t) => service.mint(t, scopes)));
    // Rounds on both shards, so the top-level log holds several shard checkpoints of each.
    for (let round = 0; round < 3; round++) {
      await appendAndProve(service.baseUrl, globex, 2);
      await appendAndProve(service.baseUrl, theta, 1);
      if (round === 1) await appendAndProve(service.baseUrl, acme!, 2);
    }
    const tenants = [await record(service.baseUrl, globex!, 'globex'), await record(service.baseUrl, theta!, 'theta'), await record(service.baseUrl, acme!, 'acme')];
    const { verifier_key } = await client(service.baseUrl, globex!).get<CheckpointView>('/v1/audit/checkpoint');
    const { count } = await client(service.baseUrl, globex!).get<{ count: number }>('/v1/audit/shards');
    const fixture: ShardedFixture = { generated_at: new Date().toISOString(), shard_count: count, verifier_key, tenants };
    if (tenants.map((t) => t.shard).join() !== '3,2,0') throw new Error(`expected globex on shard 3, theta on 2, acme on 0: ${tenants.map((t) => t.shard)}`);
    writeFileSync(OUT, JSON.stringify(fixture, null, 1) + '\n');
    console.log(`wrote ${OUT}: ${tenants.map((t) => `${t.tenant} (shard ${t.shard}) ${t.entries.length} entries`).join(', ')}`);
  } finally {
    await service.stop();
  }
}

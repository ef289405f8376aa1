// An audit entry's canonical bytes, the input of its leaf hash, exactly as the service encodes them
// (audit-log/.../internal/EntryCodec.java): a version byte (3 with a 16-byte salt after it; else 2
// when the entry has a submitter, else 1), seq and recorded-at (microseconds since the epoch) as
// 8-byte big-endian numbers, eleven text fields each as a 4-byte big-endian length (-1 for none)
// and UTF-8 bytes, the body's SHA-256 the same way, then (versions 2 and 3) the submitter.

import { concat, fromHex, utf8 } from './bytes.ts';

/** The stored fields of an entry, as they are hashed. */
export interface LeafFields {
  seq: bigint;
  recordedAtMicros: bigint;
  tenant: string;
  actor: string;
  actorRole: string | null;
  subject: string | null;
  /** The action's enum name, upper case (READ, CONSENT_GIVEN, ...). */
  action: string;
  purpose: string | null;
  legalBasis: string | null;
  /** Comma-joined, or null when there are none. */
  categories: string | null;
  recipient: string | null;
  requestId: string | null;
  /** The outcome's enum name, upper case (SUCCESS, DENIED, FAILURE). */
  outcome: string;
  submittedBy: string | null;
  bodyHash: Uint8Array | null;
  salt: Uint8Array | null;
}

/** An entry as GET /v1/audit/events answers it. */
export interface AuditEntryView {
  seq: number;
  recorded_at: string;
  tenant?: string | null;
  actor: string;
  actor_role?: string | null;
  subject?: string | null;
  action: string;
  purpose?: string | null;
  legal_basis?: string | null;
  categories?: string[] | null;
  recipient?: string | null;
  request_id?: string | null;
  outcome: string;
  submitted_by?: string | null;
  body_state?: string | null;
  leaf_hash: string;
  /** Hex of the leaf's random salt, null for entries written before salts. */
  leaf_salt?: string | null;
  /** Hex of the SHA-256 of the stored (encrypted) body, null without a body. */
  body_hash?: string | null;
}

/** The fields the leaf needs that are not in every version of the API's entry. */
export const LEAF_ONLY_FIELDS = ['leaf_salt', 'body_hash'] as const;

const SALT_BYTES = 16;

/** The canonical bytes of an entry. */
export function encodeEntry(f: LeafFields): Uint8Array {
  if (f.salt !== null && f.salt.length !== SALT_BYTES) {
    throw new Error(`a leaf salt is ${SALT_BYTES} bytes, this one ${f.salt.length}`);
  }
  const parts: Uint8Array[] = [];
  if (f.salt !== null) {
    parts.push(new Uint8Array([3]), f.salt);
  } else {
    parts.push(new Uint8Array([f.submittedBy === null ? 1 : 2]));
  }
  parts.push(int64(f.seq), int64(f.recordedAtMicros));
  for (const text of [
    f.tenant,
    f.actor,
    f.actorRole,
    f.subject,
    f.action,
    f.purpose,
    f.legalBasis,
    f.categories,
    f.recipient,
    f.requestId,
    f.outcome,
  ]) {
    parts.push(...lengthPrefixed(text === null ? null : utf8(text)));
  }
  parts.push(...lengthPrefixed(f.bodyHash));
  if (f.salt !== null || f.submittedBy !== null) {
    parts.push(...lengthPrefixed(f.submittedBy === null ? null : utf8(f.submittedBy)));
  }
  return concat(...parts);
}

/**
 * The leaf fields of an entry the API returned, or the names of the fields it lacks. The tenant is
 * the entry's own when the API gives it, else the token's (a wrong one makes the proof fail, never
 * pass).
 */
export function fieldsFromView(
  entry: AuditEntryView,
  tokenTenant: string | null,
): { fields: LeafFields } | { missing: string[] } {
  const missing: string[] = LEAF_ONLY_FIELDS.filter((name) => !(name in entry));
  const tenant = entry.tenant ?? tokenTenant;
  if (tenant == null) missing.push('tenant');
  if (missing.length > 0) return { missing };
  const categories = entry.categories ?? [];
  return {
    fields: {
      seq: BigInt(entry.seq),
      recordedAtMicros: instantMicros(entry.recorded_at),
      tenant: tenant!,
      actor: entry.actor,
      actorRole: entry.actor_role ?? null,
      subject: entry.subject ?? null,
      action: entry.action.toUpperCase(),
      purpose: entry.purpose ?? null,
      legalBasis: entry.legal_basis ?? null,
      categories: categories.length === 0 ? null : categories.join(','),
      recipient: entry.recipient ?? null,
      requestId: entry.request_id ?? null,
      outcome: entry.outcome.toUpperCase(),
      submittedBy: entry.submitted_by ?? null,
      bodyHash: entry.body_hash == null ? null : fromHex(entry.body_hash),
      salt: entry.leaf_salt == null ? null : fromHex(entry.leaf_salt),
    },
  };
}

const INSTANT = /^(-?\d{4,})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?Z$/;

/**
 * Microseconds since the epoch of a Java Instant.toString() (ISO-8601 UTC, 0 to 9 fraction
 * digits): exact, which a Date (milliseconds) is not.
 */
export function instantMicros(text: string): bigint {
  const m = INSTANT.exec(text);
  if (!m) throw new Error(`not an ISO-8601 UTC instant: ${text}`);
  const [, y, mo, d, h, mi, s, fraction = ''] = m;
  const millis = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s));
  if (Number.isNaN(millis)) throw new Error(`not an ISO-8601 UTC instant: ${text}`);
  const micros = BigInt(fraction.padEnd(9, '0').slice(0, 6));
  return BigInt(millis) * 1000n + micros;
}

function int64(value: bigint): Uint8Array {
  const out = new Uint8Array(8);
  new DataView(out.buffer).setBigInt64(0, value);
  return out;
}

function lengthPrefixed(bytes: Uint8Array | null): Uint8Array[] {
  const length = new Uint8Array(4);
  new DataView(length.buffer).setInt32(0, bytes === null ? -1 : bytes.length);
  return bytes === null ? [length] : [length, bytes];
}

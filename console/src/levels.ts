// How numbers become states: the status tiles' ok/warn/bad, the request badges' share of legal
// time left, ages and the consent rate. Every state is said in words too, never colour alone.

export type Level = 'ok' | 'warn' | 'bad' | 'info';

export const LEVEL_WORDS: Record<Level, string> = { ok: 'OK', warn: 'Warning', bad: 'Problem', info: 'Info' };

/** GET /v1/status. */
export interface Status {
  generated_at: string;
  requests: { open: number; overdue: number; due_within_7_days: number };
  withdrawals_24h: number;
  verification: { ok: boolean; verified_at: string; size: number; failure: string | null } | null;
  checkpoint: { size: number; signed_at: string; age_seconds: number } | null;
  webhooks: { failing: number };
  issuer_keys: { healthy: boolean; issuers: number };
  audit_queue: { depth: number; capacity: number };
}

export interface Tile {
  id: string;
  label: string;
  /** The number or word shown large. */
  value: string;
  level: Level;
  note: string;
}

const DAY = 86_400;

/** A verification older than this is stale. */
export const VERIFICATION_STALE_SECONDS = DAY;
/** A checkpoint older than this is worth a look (a quiet log signs none). */
export const CHECKPOINT_STALE_SECONDS = DAY;

/** The eight status tiles. Ages are measured on the server's clock (generated_at). */
export function statusTiles(s: Status): Tile[] {
  const now = Date.parse(s.generated_at);
  const r = s.requests;
  const v = s.verification;
  const c = s.checkpoint;
  const q = s.audit_queue;
  const queueShare = q.capacity > 0 ? q.depth / q.capacity : 0;
  const verifiedAge = v ? Math.max(0, (now - Date.parse(v.verified_at)) / 1000) : 0;
  return [
    {
      id: 'overdue',
      label: 'Overdue requests',
      value: String(r.overdue),
      level: r.overdue > 0 ? 'bad' : 'ok',
      note: r.overdue > 0 ? 'past their legal due date' : 'none past due',
    },
    {
      id: 'due-soon',
      label: 'Due within 7 days',
      value: String(r.due_within_7_days),
      level: r.due_within_7_days > 0 ? 'warn' : 'ok',
      note: `${r.open} open in all`,
    },
    {
      id: 'withdrawals',
      label: 'Withdrawals, 24 h',
      value: String(s.withdrawals_24h),
      level: 'info',
      note: 'consents withdrawn in the last 24 hours',
    },
    v === null
      ? { id: 'verification', label: 'Last log verification', value: 'never', level: 'warn', note: 'no verification has run yet' }
      : {
          id: 'verification',
          label: 'Last log verification',
          value: v.ok ? 'intact' : 'FAILED',
          level: !v.ok ? 'bad' : verifiedAge > VERIFICATION_STALE_SECONDS ? 'warn' : 'ok',
          note: `${v.size} entries, ${ago(verifiedAge)}${v.failure ? `: ${v.failure}` : ''}`,
        },
    c === null
      ? { id: 'checkpoint', label: 'Latest checkpoint', value: 'none', level: 'warn', note: 'no checkpoint signed yet' }
      : {
          id: 'checkpoint',
          label: 'Latest checkpoint',
          value: String(c.size),
          level: c.age_seconds > CHECKPOINT_STALE_SECONDS ? 'warn' : 'ok',
          note: `entries, signed ${ago(c.age_seconds)}`,
        },
    {
      id: 'webhooks',
      label: 'Failing webhook deliveries',
      value: String(s.webhooks.failing),
      level: s.webhooks.failing > 0 ? 'bad' : 'ok',
      note: s.webhooks.failing > 0 ? 'deliveries failing or given up' : 'none failing',
    },
    {
      id: 'issuer-keys',
      label: 'Issuer keys',
      value: s.issuer_keys.healthy ? 'healthy' : 'unhealthy',
      level: s.issuer_keys.healthy ? 'ok' : 'bad',
      note: `${s.issuer_keys.issuers} issuer${s.issuer_keys.issuers === 1 ? '' : 's'}`,
    },
    {
      id: 'audit-queue',
      label: 'Audit queue depth',
      value: String(q.depth),
      level: queueShare >= 0.9 ? 'bad' : queueShare >= 0.5 ? 'warn' : 'ok',
      note: `of ${q.capacity} (${Math.round(queueShare * 100)}% full)`,
    },
  ];
}

/** "just now", "42 s ago", "5 min ago", "3 h ago", "2 d ago". */
export function ago(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  if (s < 5) return 'just now';
  if (s < 60) return `${s} s ago`;
  if (s < 3600) return `${Math.floor(s / 60)} min ago`;
  if (s < DAY) return `${Math.floor(s / 3600)} h ago`;
  return `${Math.floor(s / DAY)} d ago`;
}

export interface Badge {
  level: Exclude<Level, 'info'>;
  text: string;
  /** Share of the legal time left, 0 to 1 (0 when overdue). */
  share: number;
}

/**
 * The days-left badge of a request: the share of its legal time (received to due, extensions and
 * paused time included) still left; more than half is ok, 20 to 50% a warning, under 20% or
 * overdue a problem.
 */
export function dueBadge(receivedAt: string, dueAt: string, now: number, overdue = false): Badge {
  const received = Date.parse(receivedAt);
  const due = Date.parse(dueAt);
  const left = due - now;
  const total = Math.max(1, due - received);
  const dayMs = DAY * 1000;
  if (overdue || left < 0) {
    const days = Math.max(1, Math.floor(-left / dayMs));
    return { level: 'bad', text: `${days} day${days === 1 ? '' : 's'} overdue`, share: 0 };
  }
  const share = Math.min(1, left / total);
  const days = Math.floor(left / dayMs);
  const text = days === 0 ? 'due today' : `${days} day${days === 1 ? '' : 's'} left`;
  return { level: share > 0.5 ? 'ok' : share >= 0.2 ? 'warn' : 'bad', text, share };
}

/** given ÷ decided, where decided = given + refused; null when nothing was decided. */
export function consentRate(given: number, refused: number): number | null {
  const decided = given + refused;
  return decided === 0 ? null : given / decided;
}

/** A rate as a whole percentage, or an em dash when there is none. */
export function percent(rate: number | null): string {
  return rate === null ? '\u2014' : `${Math.round(rate * 100)}%`;
}

/** The clocks of an incident: the authority, the affected principals, and (DPDP) the detailed report. */
export type ClockName = 'authority' | 'principals' | 'report';

export interface IncidentClockInput {
  status: string;
  principals: number;
  notices: number;
  overdue: readonly string[];
  clocks: {
    authority_due_at: string;
    authority_notified_at?: string | null;
    principals_due_at: string;
    principals_notified_at?: string | null;
    report_due_at?: string | null;
    report_filed_at?: string | null;
  };
}

export interface Clock {
  name: ClockName;
  label: string;
  dueAt: string;
  /** overdue (the service says so), running, done (notified or filed), or stopped (closed, dismissed). */
  state: 'overdue' | 'running' | 'done' | 'stopped';
  level: Level;
  text: string;
  /** When it was met (notified, filed), for a clock that is done. */
  doneAt: string | null;
}

const CLOCK_LABELS: Record<ClockName, string> = { authority: 'Authority', principals: 'Principals', report: 'Report' };
const FINAL = new Set(['CLOSED', 'DISMISSED']);

/** "40 min", "5 h" (up to 96 h), "5 d": a duration in words. */
export function span(ms: number): string {
  const minutes = Math.max(0, Math.floor(ms / 60_000));
  if (minutes < 60) return `${minutes} min`;
  if (minutes < 96 * 60) return `${Math.floor(minutes / 60)} h`; // the 72-hour clocks in hours
  return `${Math.floor(minutes / (24 * 60))} d`;
}

/**
 * An incident's clocks at `now`: overdue where the service's `overdue` names it (its reckoning
 * wins), done once notified or filed (principals: once every attached principal's notice was
 * queued), stopped when the incident is closed or dismissed, otherwise running (a warning within
 * 24 hours of its due time or past it). The report clock exists under DPDP only.
 */
export function incidentClocks(incident: IncidentClockInput, now: number): Clock[] {
  const c = incident.clocks;
  const clocks: Array<[ClockName, string, string | null | undefined, boolean]> = [
    ['authority', c.authority_due_at, c.authority_notified_at, !!c.authority_notified_at],
    ['principals', c.principals_due_at, c.principals_notified_at, !!c.principals_notified_at && incident.notices >= incident.principals],
  ];
  if (c.report_due_at) clocks.push(['report', c.report_due_at, c.report_filed_at, !!c.report_filed_at]);
  return clocks.map(([name, dueAt, doneAt, done]) => {
    const label = CLOCK_LABELS[name];
    const left = Date.parse(dueAt) - now;
    if (incident.overdue.includes(name)) {
      return { name, label, dueAt, state: 'overdue', level: 'bad', text: left < 0 ? `overdue by ${span(-left)}` : 'overdue', doneAt: null };
    }
    if (done) return { name, label, dueAt, state: 'done', level: 'ok', text: name === 'report' ? 'filed' : 'notified', doneAt: doneAt ?? null };
    if (FINAL.has(incident.status)) {
      return { name, label, dueAt, state: 'stopped', level: 'info', text: `not done; incident ${incident.status.toLowerCase()}`, doneAt: null };
    }
    return {
      name,
      label,
      dueAt,
      state: 'running',
      level: left < 24 * 3_600_000 ? 'warn' : 'ok',
      text: left < 0 ? `past due by ${span(-left)}` : `due in ${span(left)}`,
      doneAt: null,
    };
  });
}

/** When the incident's most urgent clock (overdue or running) is due, in ms; Infinity when none runs. */
export function mostUrgent(incident: IncidentClockInput, now: number): number {
  let soonest = Infinity;
  for (const clock of incidentClocks(incident, now)) {
    if (clock.state === 'overdue' || clock.state === 'running') soonest = Math.min(soonest, Date.parse(clock.dueAt));
  }
  return soonest;
}

/** Incidents by their most urgent clock, soonest first; those with none running last, newest first. */
export function byUrgency<T extends IncidentClockInput & { id: string; detected_at: string }>(incidents: T[], now: number): T[] {
  const key = new Map(incidents.map((i) => [i.id, mostUrgent(i, now)]));
  const urgency = (a: T, b: T) => {
    const x = key.get(a.id)!;
    const y = key.get(b.id)!;
    return x === y ? 0 : x < y ? -1 : 1; // Infinity - Infinity is NaN: compare, do not subtract
  };
  return [...incidents].sort((a, b) => urgency(a, b) || Date.parse(b.detected_at) - Date.parse(a.detected_at) || a.id.localeCompare(b.id));
}

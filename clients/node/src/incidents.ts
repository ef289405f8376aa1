/**
 * The breach register (`/v1/incidents`, scope `incidents:manage`): incidents with their 72-hour
 * clocks (GDPR Art. 33 and 34, DPDP Act s.8(6), DPDP Rules 2025 rule 7), affected principals from
 * the audit log, breach notices and report drafts.
 */
import type { CallOptions, Transport } from './http.js';
import type { Incident, IncidentNotices, IncidentReport, Incidents, PostV1IncidentsBody, PostV1IncidentsIdStepBody } from './types.js';

export type IncidentStep =
  | 'update'
  | 'notify-authority'
  | 'file-report'
  | 'find-affected'
  | 'notify-principals'
  | 'contain'
  | 'close'
  | 'confirm'
  | 'dismiss';

/** Body of the `update` step: the details to change. */
export type IncidentUpdate = Partial<Omit<PostV1IncidentsBody, 'detected_at' | 'regime'>>;

function enc(value: string): string {
  return encodeURIComponent(value);
}

export class IncidentsApi {
  constructor(private readonly t: Transport) {}

  /**
   * Records a breach the fiduciary became aware of at `detected_at` (at most 5 minutes ahead; it
   * cannot be changed later: the clocks run from it).
   */
  create(body: PostV1IncidentsBody, options?: CallOptions): Promise<Incident> {
    return this.t.json({ method: 'POST', path: '/v1/incidents', json: body, ...options });
  }
  /** The tenant's incidents and candidates with their clocks, overdue ones first. */
  list(options?: CallOptions): Promise<Incidents> {
    return this.t.json({ method: 'GET', path: '/v1/incidents', idempotent: true, ...options });
  }
  /** An incident, its clocks and its history. */
  get(id: string, options?: CallOptions): Promise<Incident> {
    return this.t.json({ method: 'GET', path: `/v1/incidents/${enc(id)}`, idempotent: true, ...options });
  }
  /**
   * Moves an incident on. Each step takes only its own fields: update takes the details;
   * notify-authority and file-report {at, reference}; find-affected {actor, purpose, category,
   * from, to}; notify-principals nothing; contain, close, confirm, dismiss {note} (close and
   * dismiss need one).
   */
  step(id: string, step: IncidentStep, body?: PostV1IncidentsIdStepBody | IncidentUpdate, options?: CallOptions): Promise<Incident> {
    return this.t.json({ method: 'POST', path: `/v1/incidents/${enc(id)}/${step}`, json: body ?? {}, ...options });
  }
  /** The affected principals and where each one's breach.notice stands. */
  notices(id: string, options?: CallOptions): Promise<IncidentNotices> {
    return this.t.json({ method: 'GET', path: `/v1/incidents/${enc(id)}/notices`, idempotent: true, ...options });
  }
  /** The draft of the report to the authority, as JSON or the server's HTML page. */
  report(id: string, format?: 'json', options?: CallOptions): Promise<IncidentReport>;
  report(id: string, format: 'html', options?: CallOptions): Promise<string>;
  report(id: string, format: 'json' | 'html' = 'json', options?: CallOptions): Promise<unknown> {
    const spec = { method: 'GET' as const, path: `/v1/incidents/${enc(id)}/report`, query: { format }, idempotent: true, ...options };
    return format === 'json' ? this.t.json(spec) : this.t.text({ ...spec, accept: 'text/html' });
  }
}

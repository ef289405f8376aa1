// What each view loads, for the route it is at; views the token's scopes do not allow load nothing.
import type { App } from '../app.ts';
import type { Query } from '../api.ts';
import { allows } from '../session.ts';
import type { View } from '../route.ts';
import type { AuditPage, ConsentStats, Incident, RequestView, Status } from '../types.ts';

/** The scope each view needs (settings needs none). */
export const VIEW_SCOPES: Record<View, string | null> = {
  status: 'audit:read',
  consents: 'consents:read',
  requests: 'requests:manage',
  breaches: 'incidents:manage',
  audit: 'audit:read',
  settings: null,
};

export const RANGES = [7, 30, 90] as const;

/** The consent chart's range in days: 7, 30 or 90 (30 unless the URL says otherwise). */
export function rangeDays(params: Record<string, string>): number {
  const days = Number(params['days']);
  return (RANGES as readonly number[]).includes(days) ? days : 30;
}

export const AUDIT_FILTERS = ['subject', 'actor', 'purpose', 'action', 'from', 'to'] as const;
export const AUDIT_PAGE_SIZE = 50;

/** The audit actions the service records (the OpenAPI document's Action enum). */
export const AUDIT_ACTIONS = [
  'read', 'write', 'disclose', 'export', 'erase', 'decrypt', 'consent_given', 'consent_renewed', 'consent_refused',
  'consent_withdrawn', 'consent_expired', 'dsr_received', 'dsr_updated', 'dsr_fulfilled', 'dsr_denied', 'auth_failed',
  'access_denied', 'key_rotated', 'key_shredded', 'prune', 'incident_recorded', 'incident_updated',
  'retention_notice', 'retention_applied', 'retention_cancelled', 'nomination_updated',
  'guardianship_updated',
];

/** The query of GET /v1/audit/events for the route's filters and page. */
export function auditQuery(params: Record<string, string>): Query {
  const query: Query = { limit: Number(params['limit']) || AUDIT_PAGE_SIZE };
  for (const name of [...AUDIT_FILTERS, 'after', 'before']) {
    if (params[name]) query[name] = params[name];
  }
  return query;
}

export async function loadView(app: App, force: boolean): Promise<void> {
  const { view, params } = app.route;
  const scope = VIEW_SCOPES[view];
  if (scope !== null && !allows(app.session, scope)) return;
  const changed = () => app.update();
  switch (view) {
    case 'status':
      return app.status.load('status', () => app.api.get<Status>('/v1/status'), changed, force);
    case 'consents': {
      const days = rangeDays(params);
      return app.stats.load(`${days}`, () => app.api.get<ConsentStats>('/v1/consents/stats', { days }), changed, force);
    }
    case 'requests': {
      const id = params['id'];
      const queue = app.requests.load(
        'open',
        async () => byDueDate((await app.api.get<{ requests: RequestView[] }>('/v1/requests')).requests),
        changed,
        force,
      );
      if (!id) return queue;
      await Promise.all([queue, app.requestDetail.load(id, () => app.api.get<RequestView>(`/v1/requests/${encodeURIComponent(id)}`), changed, force)]);
      return;
    }
    case 'breaches':
      return app.incidents.load('all', async () => (await app.api.get<{ incidents: Incident[] }>('/v1/incidents')).incidents, changed, force);
    case 'audit': {
      const query = auditQuery(params);
      return app.audit.load(JSON.stringify(query), () => app.api.get<AuditPage>('/v1/audit/events', query), changed, force);
    }
    case 'settings':
      return;
  }
}

/** Soonest due first (the service sorts so too; the page does not rely on it). */
export function byDueDate(requests: RequestView[]): RequestView[] {
  return [...requests].sort((a, b) => Date.parse(a.due_at) - Date.parse(b.due_at) || a.id.localeCompare(b.id));
}

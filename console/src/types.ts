// What the API answers, as the console reads it (see the service's openapi.yaml).
import type { AuditEntryView } from './proof/leaf.ts';

export type { AuditEntryView } from './proof/leaf.ts';
export type { Status } from './levels.ts';

/** GET /v1/consents/stats?days=N */
export interface ConsentStats {
  from: string;
  to: string;
  days: number;
  purposes: PurposeSeries[];
}

export interface PurposeSeries {
  purpose: string;
  series: DayCounts[];
}

export interface DayCounts {
  day: string;
  given: number;
  refused: number;
  withdrawn: number;
  expired: number;
}

/** A data-subject request (GET /v1/requests). */
export interface RequestView {
  id: string;
  subject: string;
  type: string;
  regime: string;
  status: string;
  received_at: string;
  due_at: string;
  extended_months?: number;
  overdue: boolean;
  denial_reason?: string | null;
  outcome_note?: string | null;
  /** The purposes a restriction, objection or human review concerns; empty for all. */
  purposes?: string[];
  /** Who filed it: the fiduciary (on the subject's behalf), or the subject with its own token. */
  filed_by?: 'fiduciary' | 'subject';
  /** GET /v1/requests/{id} only: status and note per step, oldest first. */
  history?: Array<{ status?: string | null; note?: string | null; at?: string | null }>;
}

/** An incident of the breach register (GET /v1/incidents). */
export interface Incident {
  id: string;
  regime: 'GDPR' | 'DPDP';
  status: 'CANDIDATE' | 'OPEN' | 'CONTAINED' | 'CLOSED' | 'DISMISSED';
  source: string;
  detected_at: string;
  recorded_at: string;
  details: { nature: string; categories?: string[]; approximate_principals?: number | null };
  clocks: {
    authority_due_at: string;
    authority_notified_at?: string | null;
    authority_reference?: string | null;
    principals_due_at: string;
    principals_notified_at?: string | null;
    report_due_at?: string | null;
    report_filed_at?: string | null;
    report_reference?: string | null;
  };
  principals: number;
  notices: number;
  delivered: number;
  /** The clocks running late, as the service reckons them. */
  overdue: Array<'authority' | 'principals' | 'report'>;
}

/** GET /v1/incidents/{id}/report: the draft of the report to the authority. */
export interface IncidentReport {
  title: string;
  incident_id: string;
  regime: string;
  generated_at: string;
  overdue: string[];
  sections: Array<{ provision: string; title: string; fields: Array<{ key: string; label: string; value: string | null }> }>;
}

/** GET /v1/audit/events */
export interface AuditPage {
  entries: AuditEntryView[];
  next_after: number | null;
  before: number;
}

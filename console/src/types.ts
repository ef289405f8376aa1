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
}

/** GET /v1/audit/events */
export interface AuditPage {
  entries: AuditEntryView[];
  next_after: number | null;
  before: number;
}

// Data for the views of the rights and breach features, seeded through the API as a backend and
// data principals would: in tenant gamma, requests filed by subjects with their own tokens
// (requests:self) and by the fiduciary, of the new types and statuses; in acme and beta,
// incidents of the breach register with clocks overdue, running, met and stopped.
import { client, type Service } from './service.ts';

export const TENANT_C = 'gamma';

export interface SeededRights {
  /** gamma: an objection user-g1 filed itself (direct marketing: it holds from intake). */
  objection: string;
  /** gamma: a human review of an automated decision, filed by the fiduciary. */
  humanReview: string;
  /** gamma: an access request user-g2 filed and then withdrew. */
  withdrawn: string;
  /** gamma: a restriction of fraud_prevention for user-g4, fulfilled (out of the open queue). */
  restriction: string;
  /** acme's incidents by their most urgent clock, then beta's one. */
  incidentsA: { late: string; fresh: string; closed: string };
  incidentB: string;
}

/** What the incidents' natures say (one with markup, to be shown as text). */
export const NATURE = {
  late: '<i id="injected-nature">USB</i> stick with the customer list lost',
  fresh: 'Misdirected e-mail with order history',
  closed: 'Printer left a page in the lobby',
  beta: 'Beta tenant database snapshot exposed',
};

interface Id {
  id: string;
}

const hoursAgo = (h: number) => new Date(Date.now() - h * 3_600_000).toISOString();

export async function seedRights(service: Service, adminA: string, adminB: string, adminC: string): Promise<SeededRights> {
  const a = client(service.baseUrl, adminA);
  const b = client(service.baseUrl, adminB);
  const c = client(service.baseUrl, adminC);
  const principal = async (subject: string) => client(service.baseUrl, await service.mint(TENANT_C, ['requests:self'], subject));

  const g1 = await principal('user-g1');
  const objection = await g1.post<Id>('/v1/me/requests', { type: 'objection', purposes: ['email_marketing'] });
  const g2 = await principal('user-g2');
  const withdrawn = await g2.post<Id>('/v1/me/requests', { type: 'access' });
  await g2.post(`/v1/me/requests/${withdrawn.id}/withdraw`);
  const humanReview = await c.post<Id>('/v1/requests', { subject: 'user-g3', type: 'human_review', purposes: ['pay_later_eligibility'], identity_verified: true });
  const restriction = await c.post<Id>('/v1/requests', { subject: 'user-g4', type: 'restriction', purposes: ['fraud_prevention'], identity_verified: true });
  await c.post(`/v1/requests/${restriction.id}/fulfil`, { note: 'accuracy contested' });

  // acme: one late on every clock (GDPR, 80 h ago), one fresh (DPDP, 1 h ago, authority told), one closed.
  const late = await a.post<Id>('/v1/incidents', { nature: NATURE.late, detected_at: hoursAgo(80), regime: 'GDPR', categories: ['user.contact.email'] });
  const fresh = await a.post<Id>('/v1/incidents', { nature: NATURE.fresh, detected_at: hoursAgo(1), regime: 'DPDP' });
  await a.post(`/v1/incidents/${fresh.id}/notify-authority`, { reference: 'DPB-2026-7' });
  const closed = await a.post<Id>('/v1/incidents', { nature: NATURE.closed, detected_at: hoursAgo(0.5), regime: 'GDPR' });
  await a.post(`/v1/incidents/${closed.id}/close`, { note: 'no personal data on the page after all' });
  const beta = await b.post<Id>('/v1/incidents', { nature: NATURE.beta, detected_at: hoursAgo(5), regime: 'GDPR' });
  return {
    objection: objection.id,
    humanReview: humanReview.id,
    withdrawn: withdrawn.id,
    restriction: restriction.id,
    incidentsA: { late: late.id, fresh: fresh.id, closed: closed.id },
    incidentB: beta.id,
  };
}

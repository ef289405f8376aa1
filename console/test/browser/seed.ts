// Data the browser tests expect, seeded through the API as a backend would: consents for two
// purposes, data-subject requests of every kind of status, audit entries, and a second tenant.
import { client } from './service.ts';

export interface Seeded {
  /** Request ids of tenant acme in due-date order. */
  requestOrder: string[];
  /** Seqs of the entries agent-7 appended for user-a1 (read), and one with a body. */
  readSeqs: number[];
  bodySeq: number;
}

export const TENANT_A = 'acme';
export const TENANT_B = 'beta';

/** What the consent charts of tenant acme must show. */
export const CONSENT_TOTALS_A = {
  email_marketing: { given: 3, refused: 1, withdrawn: 1, expired: 0, rate: '75%' },
  targeted_advertising: { given: 1, refused: 2, withdrawn: 0, expired: 0, rate: '33%' },
};
export const WITHDRAWALS_A = 1;
export const WITHDRAWALS_B = 2;

interface RequestView {
  id: string;
  status: string;
}

export async function seed(baseUrl: string, tokenA: string, tokenB: string): Promise<Seeded> {
  const a = client(baseUrl, tokenA);
  const b = client(baseUrl, tokenB);
  const consent = (api: typeof a, subject: string, purpose: string, action: string) =>
    api.post(`/v1/subjects/${subject}/consents/${purpose}/${action}`, action === 'give' ? { notice_version: 2, language: 'en' } : {});

  for (const s of ['user-a1', 'user-a2', 'user-a3']) await consent(a, s, 'email_marketing', 'give');
  await consent(a, 'user-a4', 'email_marketing', 'refuse');
  await consent(a, 'user-a1', 'email_marketing', 'withdraw');
  await consent(a, 'user-a2', 'targeted_advertising', 'give');
  await consent(a, 'user-a3', 'targeted_advertising', 'refuse');
  await consent(a, 'user-a4', 'targeted_advertising', 'refuse');
  for (const s of ['user-b1', 'user-b2']) await consent(b, s, 'email_marketing', 'give');
  for (const s of ['user-b1', 'user-b2']) await consent(b, s, 'email_marketing', 'withdraw');

  const request = (api: typeof a, body: Record<string, unknown>) => api.post<RequestView>('/v1/requests', body);
  const access = await request(a, { subject: 'user-a1', type: 'access', regime: 'GDPR', identity_verified: true });
  const erasure = await request(a, { subject: 'user-a2', type: 'erasure', regime: 'DPDP', identity_verified: true });
  const portability = await request(a, { subject: 'user-a3', type: 'portability', regime: 'GDPR', identity_verified: true });
  await a.post(`/v1/requests/${portability.id}/extend`, { months: 1, reason: 'many systems hold the data' });
  const objection = await request(a, { subject: 'user-a4', type: 'objection', regime: 'GDPR', identity_verified: false });
  await request(b, { subject: 'user-b1', type: 'access', regime: 'GDPR', identity_verified: true });

  const readSeqs: number[] = [];
  for (const purpose of ['email_marketing', 'order_fulfilment']) {
    const { seq } = await a.post<{ seq: number }>('/v1/audit/events', {
      actor: 'agent-7',
      subject: 'user-a1',
      action: 'read',
      purpose,
      categories: ['user.contact.email'],
    });
    readSeqs.push(seq);
  }
  const { seq: bodySeq } = await a.post<{ seq: number }>('/v1/audit/events', {
    actor: 'agent-9',
    actor_role: 'support',
    subject: 'user-a2',
    action: 'disclose',
    purpose: 'order_fulfilment',
    recipient: 'courier',
    body: 'address shared with the courier for delivery',
  });
  await b.post('/v1/audit/events', { actor: 'agent-b', subject: 'user-b1', action: 'read', purpose: 'email_marketing' });
  // The last verification the status tile shows.
  await a.post('/v1/audit/verify');
  // GDPR one month, the unverified objection a moment later, the extended portability, DPDP's 90 days.
  return { requestOrder: [access.id, objection.id, portability.id, erasure.id], readSeqs, bodySeq };
}

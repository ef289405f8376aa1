/**
 * Children and persons with a lawful guardian (DPDP Act s.9, DPDP Rules 2025 rules 10-11, GDPR
 * Art. 8). The fiduciary (scope `guardians:manage`) marks a principal and links the parents and
 * guardians it verified: `pk.guardians`. A linked guardian, with her own token (`consents:self`),
 * reads and changes her wards' consents: `pk.me.wards`. Calls that can change a check's answer
 * evict the consent cache.
 */
import { randomUUID } from 'node:crypto';
import type { PrivacyKit } from './client.js';
import type { CallOptions } from './http.js';
import type {
  ConsentAction,
  ConsentChange,
  ConsentEvent,
  GuardianLink,
  Guardianship,
  PostV1SubjectsSubjectGuardiansBody,
  PostV1SubjectsSubjectGuardianshipBody,
  SubjectConsents,
  WardMarking,
  Wards,
} from './types.js';

function enc(value: string): string {
  return encodeURIComponent(value);
}

export class GuardiansApi {
  constructor(private readonly pk: PrivacyKit) {}

  /** The principal's marking in force, every marking with its evidence, and her guardian links. */
  get(subject: string, options?: CallOptions): Promise<Guardianship> {
    return this.pk.transport.json({ method: 'GET', path: `/v1/subjects/${enc(subject)}/guardianship`, idempotent: true, ...options });
  }
  /**
   * Marks a principal as a child (`born_on`, used once and not kept, or `until`) or as a person
   * with a disability who has a lawful guardian. From then on only a verified guardian's consent
   * counts for her.
   */
  mark(subject: string, body: PostV1SubjectsSubjectGuardianshipBody, options?: CallOptions): Promise<WardMarking> {
    return this.evicting(() => this.pk.transport.json({ method: 'POST', path: `/v1/subjects/${enc(subject)}/guardianship`, json: body, ...options }));
  }
  /** Clears the marking in force, with a reason (it is kept as history). */
  clear(subject: string, reason: string, options?: CallOptions): Promise<WardMarking> {
    return this.evicting(() =>
      this.pk.transport.json({ method: 'POST', path: `/v1/subjects/${enc(subject)}/guardianship/clear`, json: { reason }, ...options }),
    );
  }
  /** Links a parent (DPDP Rule 10's means) or lawful guardian (Rule 11) the fiduciary verified. */
  link(ward: string, body: PostV1SubjectsSubjectGuardiansBody, options?: CallOptions): Promise<GuardianLink> {
    return this.evicting(() => this.pk.transport.json({ method: 'POST', path: `/v1/subjects/${enc(ward)}/guardians`, json: body, ...options }));
  }
  /** Revokes a guardian link; consents given under it stop counting at once. */
  revoke(ward: string, linkId: string, reason: string, options?: CallOptions): Promise<GuardianLink> {
    return this.evicting(() =>
      this.pk.transport.json({ method: 'POST', path: `/v1/subjects/${enc(ward)}/guardians/${enc(linkId)}/revoke`, json: { reason }, ...options }),
    );
  }

  private async evicting<T>(call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } finally {
      this.pk.clearCache();
    }
  }
}

/** A verified guardian's own calls for her wards (`/v1/me/wards`, her own token). */
export class MeWardsApi {
  constructor(private readonly pk: PrivacyKit) {}

  /** The wards the caller is a verified guardian of now, with the link she acts under. */
  list(options?: CallOptions): Promise<Wards> {
    return this.pk.transport.json({ method: 'GET', path: '/v1/me/wards', idempotent: true, ...options });
  }
  /** A ward's current consents (403 `guardian-not-verified` unless the caller is her guardian). */
  consents(ward: string, options?: CallOptions): Promise<SubjectConsents> {
    return this.pk.transport.json({ method: 'GET', path: `/v1/me/wards/${enc(ward)}/consents`, idempotent: true, ...options });
  }
  /** Gives, renews, refuses or withdraws consent for a ward, recorded as `acting_party` guardian. */
  async change(ward: string, purpose: string, action: ConsentAction, body?: ConsentChange, options?: CallOptions): Promise<ConsentEvent> {
    try {
      return await this.pk.transport.json<ConsentEvent>({
        method: 'POST',
        path: `/v1/me/wards/${enc(ward)}/consents/${enc(purpose)}/${action}`,
        json: { ...(body ?? {}), idempotency_key: body?.idempotency_key ?? randomUUID() },
        idempotent: true,
        ...options,
      });
    } finally {
      this.pk.clearCache();
    }
  }
}

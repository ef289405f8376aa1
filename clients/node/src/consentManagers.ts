/**
 * Consent Managers (`/v1/consent-managers`; DPDP Act s.6(7)-(9), DPDP Rules 2025 rule 4): the
 * fiduciary registers them with their public keys (`consent-managers:manage`); a manager's
 * integration submits its signed artefacts and pulls the changes made directly with the fiduciary
 * (`consent-managers:submit`).
 */
import type { CallOptions, Transport } from './http.js';
import type {
  AppliedArtefact,
  ConsentManager,
  ConsentManagerChanges,
  ConsentManagers,
  Jwks,
  PostV1ConsentManagersBody,
} from './types.js';

function enc(value: string): string {
  return encodeURIComponent(value);
}

export class ConsentManagersApi {
  constructor(
    private readonly t: Transport,
    private readonly changed: () => void = () => {},
  ) {}

  /** The managers the tenant accepts or suspended: the policy's, then its own. */
  list(options?: CallOptions): Promise<ConsentManagers> {
    return this.t.json({ method: 'GET', path: '/v1/consent-managers', idempotent: true, ...options });
  }
  /** Registers a manager with its public keys (a key with private parts is refused). */
  register(body: PostV1ConsentManagersBody, options?: CallOptions): Promise<ConsentManager> {
    return this.t.json({ method: 'POST', path: '/v1/consent-managers', json: body, ...options });
  }
  get(id: string, options?: CallOptions): Promise<ConsentManager> {
    return this.t.json({ method: 'GET', path: `/v1/consent-managers/${enc(id)}`, idempotent: true, ...options });
  }
  /** Key rotation: replaces the key set; artefacts signed with a key no longer listed are refused. */
  replaceKeys(id: string, jwks: Jwks, options?: CallOptions): Promise<ConsentManager> {
    return this.t.json({ method: 'PUT', path: `/v1/consent-managers/${enc(id)}/keys`, json: { jwks }, idempotent: true, ...options });
  }
  suspend(id: string, options?: CallOptions): Promise<ConsentManager> {
    return this.t.json({ method: 'POST', path: `/v1/consent-managers/${enc(id)}/suspend`, json: {}, idempotent: true, ...options });
  }
  resume(id: string, options?: CallOptions): Promise<ConsentManager> {
    return this.t.json({ method: 'POST', path: `/v1/consent-managers/${enc(id)}/resume`, json: {}, idempotent: true, ...options });
  }
  remove(id: string, options?: CallOptions): Promise<ConsentManager> {
    return this.t.json({ method: 'DELETE', path: `/v1/consent-managers/${enc(id)}`, idempotent: true, ...options });
  }
  /**
   * Submits a compact JWS signed by the manager. Safe to retry: a submission that failed half-way
   * completes; one that was recorded answers 409 `artefact-replayed`.
   */
  async submit(id: string, artefact: string, options?: CallOptions): Promise<AppliedArtefact> {
    try {
      return await this.t.json<AppliedArtefact>({
        method: 'POST',
        path: `/v1/consent-managers/${enc(id)}/artefacts`,
        json: { artefact },
        ...options,
      });
    } finally {
      this.changed();
    }
  }
  /** The changes queued for the manager after `after` (the previous `next_cursor`; 0 first). */
  changes(id: string, query: { after?: string | number; limit?: number } = {}, options?: CallOptions): Promise<ConsentManagerChanges> {
    const q: Record<string, string> = {};
    if (query.after !== undefined) q.after = String(query.after);
    if (query.limit !== undefined) q.limit = String(query.limit);
    return this.t.json({ method: 'GET', path: `/v1/consent-managers/${enc(id)}/changes`, query: q, idempotent: true, ...options });
  }
}

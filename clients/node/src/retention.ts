/**
 * Retention that runs (`/v1/retention`, scope `retention:manage`): the policy's retention rules
 * applied now, or a dry run that says what they would do; the report of what they did; and the
 * host's report that a principal came back (`seen`, scope `consents:write`), which calls off an
 * erasure for inactivity (DPDP Rules 2025, rule 8(2)).
 */
import type { CallOptions, Transport } from './http.js';
import type { RetentionActions, RetentionRun } from './types.js';

export class RetentionApi {
  constructor(private readonly t: Transport) {}

  /**
   * Applies the rules to this token's tenant now: data past its purpose's period or a consent's
   * grace goes (the service tells your webhooks), inactive principals are told 48 hours ahead and
   * erased unless they come back. With `dryRun` nothing is written.
   */
  run(args: { dryRun?: boolean } = {}, options?: CallOptions): Promise<RetentionRun> {
    return this.t.json({
      method: 'POST',
      path: '/v1/retention/run',
      query: { dry_run: args.dryRun === true ? 'true' : undefined },
      json: {},
      ...options,
    });
  }

  /** What the rules did in [from, to) (default: the last 30 days), oldest first. */
  actions(args: { from?: string; to?: string; limit?: number } = {}, options?: CallOptions): Promise<RetentionActions> {
    return this.t.json({
      method: 'GET',
      path: '/v1/retention/actions',
      query: { from: args.from, to: args.to, limit: args.limit },
      idempotent: true,
      ...options,
    });
  }

  /**
   * Reports that a principal came (call it on login): an erasure for inactivity announced by a
   * `retention.notice` is then called off.
   */
  async seen(subject: string, options?: CallOptions): Promise<void> {
    await this.t.send({
      method: 'POST',
      path: `/v1/subjects/${encodeURIComponent(subject)}/activity`,
      json: {},
      ...options,
    });
  }
}

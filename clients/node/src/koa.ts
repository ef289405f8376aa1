/**
 * Koa middleware: `const { requireConsent, auditAccess } = privacyKit(client)`.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { contextFromHeaders, runWithContext, type RequestContext } from './context.js';
import { decide, recordAccess, whenAnswered, type AuditRule, type ConsentRule, type GuardClient } from './guard.js';

/** The parts of Koa's context the middleware uses. */
export interface KoaContext {
  req: IncomingMessage;
  res: ServerResponse;
  params?: Record<string, string>;
  state: Record<string, unknown> & { privacykit?: RequestContext };
  status: number;
  body: unknown;
  set(field: string, value: string): void;
  type?: string;
}
export type KoaNext = () => Promise<unknown>;
export type KoaMiddleware = (ctx: KoaContext, next: KoaNext) => Promise<void>;

export function requestContext(ctx: KoaContext): RequestContext {
  if (!ctx.state.privacykit) {
    ctx.state.privacykit = contextFromHeaders(ctx.req.headers);
    ctx.set('X-Request-Id', ctx.state.privacykit.requestId);
  }
  return ctx.state.privacykit;
}

export function privacyKit(client: GuardClient) {
  return {
    context(): KoaMiddleware {
      return async (ctx, next) => {
        await runWithContext(requestContext(ctx), next);
      };
    },
    requireConsent(rule: ConsentRule<KoaContext>): KoaMiddleware {
      return async (ctx, next) => {
        const pk = requestContext(ctx);
        const verdict = await decide(client, rule, ctx, pk);
        if (verdict.ok) {
          await runWithContext(pk, next);
          return;
        }
        ctx.status = verdict.refusal.status;
        for (const [k, v] of Object.entries(verdict.refusal.headers)) ctx.set(k, v);
        ctx.body = JSON.stringify(verdict.refusal.body);
        ctx.type = 'application/problem+json';
      };
    },
    auditAccess(rule: AuditRule<KoaContext> = {}): KoaMiddleware {
      return async (ctx, next) => {
        const pk = requestContext(ctx);
        whenAnswered(ctx.res, (status) => recordAccess(client, rule, ctx, status, pk));
        await runWithContext(pk, next);
      };
    },
  };
}

export type { AuditRule, ConsentRule, GuardClient, Refusal } from './guard.js';

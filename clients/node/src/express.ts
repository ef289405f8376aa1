/**
 * Express 4/5 middleware: `const { context, requireConsent, auditAccess } = privacyKit(client)`.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { contextFromHeaders, runWithContext, type RequestContext } from './context.js';
import { decide, recordAccess, whenAnswered, type AuditRule, type ConsentRule, type GuardClient, type Refusal } from './guard.js';

/** The parts of Express's request and response the middleware uses. */
export type ExpressRequest = IncomingMessage & { params?: Record<string, string>; privacykit?: RequestContext; [key: string]: unknown };
export type ExpressResponse = ServerResponse & { status(code: number): unknown; set?: unknown };
export type NextFunction = (error?: unknown) => void;
export type Middleware = (req: ExpressRequest, res: ExpressResponse, next: NextFunction) => void;

/** The request's PrivacyKit context, creating it (and the `X-Request-Id` answer header) once. */
export function requestContext(req: ExpressRequest, res: ServerResponse): RequestContext {
  if (!req.privacykit) {
    req.privacykit = contextFromHeaders(req.headers);
    if (!res.headersSent) res.setHeader('X-Request-Id', req.privacykit.requestId);
  }
  return req.privacykit;
}

function send(res: ServerResponse, refusal: Refusal): void {
  res.statusCode = refusal.status;
  for (const [k, v] of Object.entries(refusal.headers)) res.setHeader(k, v);
  res.end(JSON.stringify(refusal.body));
}

export function privacyKit(client: GuardClient) {
  return {
    /** Sets the request context (request id, traceparent, Sec-GPC) for everything after it. */
    context(): Middleware {
      return (req, res, next) => {
        const ctx = requestContext(req, res);
        runWithContext(ctx, () => next());
      };
    },
    /** Lets the request through only when every purpose is allowed for the subject (fails closed). */
    requireConsent(rule: ConsentRule<ExpressRequest>): Middleware {
      return (req, res, next) => {
        const ctx = requestContext(req, res);
        decide(client, rule, req, ctx).then(
          (verdict) => (verdict.ok ? runWithContext(ctx, () => next()) : send(res, verdict.refusal)),
          next,
        );
      };
    },
    /** Queues an audit entry when the response is sent (place it first to audit refusals too). */
    auditAccess(rule: AuditRule<ExpressRequest> = {}): Middleware {
      return (req, res, next) => {
        const ctx = requestContext(req, res);
        whenAnswered(res, (status) => recordAccess(client, rule, req, status, ctx));
        runWithContext(ctx, () => next());
      };
    },
  };
}

export { requestContext as expressRequestContext };
export type { AuditRule, ConsentRule, GuardClient, Refusal } from './guard.js';

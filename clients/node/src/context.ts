import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';

/** What travels from an incoming request to PrivacyKit calls and audit entries. */
export interface RequestContext {
  /** `X-Request-Id` (generated when the request had none); also the audit entries' `request_id`. */
  requestId: string;
  /** W3C `traceparent`, passed through untouched. */
  traceparent?: string | undefined;
  /** W3C `tracestate`, passed through untouched. */
  tracestate?: string | undefined;
  /** `Sec-GPC: 1` was sent (Global Privacy Control). */
  gpc?: boolean | undefined;
}

const storage = new AsyncLocalStorage<RequestContext>();

/** Runs `fn` with `context` as the current request context (what middleware does for you). */
export function runWithContext<T>(context: RequestContext, fn: () => T): T {
  return storage.run(context, fn);
}

/** The current request context, if any. */
export function currentContext(): RequestContext | undefined {
  return storage.getStore();
}

const REQUEST_ID = /^[A-Za-z0-9._:\-]{1,128}$/;
const TRACEPARENT = /^[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$/;

type HeaderValue = string | string[] | undefined;

function first(value: HeaderValue): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/**
 * Builds the context of an incoming request from its headers (lower-case names, as Node gives
 * them): a well-formed `X-Request-Id` is kept, otherwise one is generated.
 */
export function contextFromHeaders(headers: Record<string, HeaderValue>): RequestContext {
  const requestId = first(headers['x-request-id']);
  const traceparent = first(headers['traceparent']);
  const tracestate = first(headers['tracestate']);
  return {
    requestId: requestId && REQUEST_ID.test(requestId) ? requestId : randomUUID(),
    traceparent: traceparent && TRACEPARENT.test(traceparent.trim()) ? traceparent.trim() : undefined,
    tracestate: traceparent && tracestate ? tracestate : undefined,
    gpc: first(headers['sec-gpc'])?.trim() === '1' ? true : undefined,
  };
}

/** The headers that carry a context to the service. */
export function contextHeaders(context: RequestContext | undefined): Record<string, string> {
  if (!context) return {};
  const headers: Record<string, string> = { 'X-Request-Id': context.requestId };
  if (context.traceparent) headers['traceparent'] = context.traceparent;
  if (context.tracestate) headers['tracestate'] = context.tracestate;
  if (context.gpc) headers['Sec-GPC'] = '1';
  return headers;
}

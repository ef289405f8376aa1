/**
 * Fastify plugin: `app.register(privacyKitPlugin, { client })`, then per route
 * `{ config: { privacykit: { consent: {purposes, subject}, audit: {action, …} } } }`.
 * Encapsulation is skipped (as fastify-plugin does) so the hooks cover every route.
 */
import type { IncomingMessage } from 'node:http';
import { contextFromHeaders, type RequestContext } from './context.js';
import { decide, recordAccess, type AuditRule, type ConsentRule, type GuardClient } from './guard.js';

export interface FastifyRequestLike {
  raw: IncomingMessage;
  headers: IncomingMessage['headers'];
  params?: unknown;
  routeOptions?: { config?: unknown };
  routeConfig?: unknown;
  privacykit?: RequestContext;
}
export interface FastifyReplyLike {
  statusCode: number;
  code(status: number): FastifyReplyLike;
  header(name: string, value: string): FastifyReplyLike;
  send(body: unknown): FastifyReplyLike;
}

export interface RouteRules {
  consent?: ConsentRule<FastifyRequestLike>;
  audit?: AuditRule<FastifyRequestLike>;
}

export interface PrivacyKitPluginOptions {
  client: GuardClient & { audit: { flush?(): Promise<void> }; close?(options?: { timeoutMs?: number }): Promise<unknown> };
  /**
   * On server close: `close` the client (default: flush the audit queue, stop its timer), only
   * `flush` it, or `none`. Bounded by `closeTimeoutMs`.
   */
  onClose?: 'flush' | 'close' | 'none';
  /** Longest wait for the audit flush on close, in ms (default 5,000). */
  closeTimeoutMs?: number;
}

interface FastifyLike {
  decorateRequest(name: string, value: unknown): void;
  addHook(name: string, hook: (...args: any[]) => unknown): void;
}

function rules(request: FastifyRequestLike): RouteRules | undefined {
  const config = (request.routeOptions?.config ?? request.routeConfig) as { privacykit?: RouteRules } | undefined;
  return config?.privacykit;
}

async function plugin(app: FastifyLike, options: PrivacyKitPluginOptions): Promise<void> {
  const client = options.client;
  app.decorateRequest('privacykit', null);
  app.addHook('onRequest', async (request: FastifyRequestLike, reply: FastifyReplyLike) => {
    request.privacykit = contextFromHeaders(request.headers);
    reply.header('X-Request-Id', request.privacykit.requestId);
  });
  app.addHook('preHandler', async (request: FastifyRequestLike, reply: FastifyReplyLike) => {
    const consent = rules(request)?.consent;
    if (!consent) return;
    const verdict = await decide(client, consent, request, request.privacykit!);
    if (verdict.ok) return;
    reply.code(verdict.refusal.status);
    for (const [k, v] of Object.entries(verdict.refusal.headers)) reply.header(k, v);
    return reply.send(JSON.stringify(verdict.refusal.body));
  });
  app.addHook('onResponse', async (request: FastifyRequestLike, reply: FastifyReplyLike) => {
    const audit = rules(request)?.audit;
    if (audit) recordAccess(client, audit, request, reply.statusCode, request.privacykit!);
  });
  app.addHook('onClose', async () => {
    const mode = options.onClose ?? 'close';
    const timeoutMs = options.closeTimeoutMs ?? 5000;
    if (mode === 'close' && client.close) {
      await client.close({ timeoutMs });
    } else if (mode === 'flush' && client.audit.flush) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        client.audit.flush().catch(() => undefined),
        new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs))),
      ]);
      clearTimeout(timer);
    }
  });
}

Object.defineProperty(plugin, Symbol.for('skip-override'), { value: true });
Object.defineProperty(plugin, Symbol.for('fastify.display-name'), { value: '@privacykit/node' });
Object.defineProperty(plugin, Symbol.for('plugin-meta'), { value: { name: '@privacykit/node', fastify: '>=4' } });

/** The plugin; register it once at the root. */
export const privacyKitPlugin = plugin;
export default plugin;
export type { AuditRule, ConsentRule, GuardClient, Refusal } from './guard.js';

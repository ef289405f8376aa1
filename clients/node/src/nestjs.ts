/**
 * NestJS (Express platform) integration: `PrivacyKitModule.forRoot(...)` or `forRootAsync(...)`,
 * then `@RequiresConsent({ purposes, subject, audit })` on a route handler or controller.
 * The audit queue is flushed on application shutdown (`app.close()`, or `enableShutdownHooks()`).
 */
import { Global, HttpException, Inject, Injectable, Module, UseGuards, applyDecorators } from '@nestjs/common';
import type { CanActivate, DynamicModule, ExecutionContext, OnApplicationShutdown, Provider } from '@nestjs/common';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { PrivacyKit, type PrivacyKitOptions } from './client.js';
import { contextFromHeaders, type RequestContext } from './context.js';
import { decide, recordAccess, whenAnswered, type AuditRule, type ConsentRule, type GuardClient } from './guard.js';

/** Injection token of the client: `@Inject(PRIVACYKIT) client: PrivacyKit`. */
export const PRIVACYKIT = Symbol.for('@privacykit/node:client');

export type NestRequest = IncomingMessage & { params?: Record<string, string>; privacykit?: RequestContext; [key: string]: unknown };

export interface RequiresConsentOptions extends ConsentRule<NestRequest> {
  /** Also audit the request once answered (refusals included). */
  audit?: AuditRule<NestRequest>;
}

type ShutdownClient = GuardClient & { close?(options?: { timeoutMs?: number }): Promise<unknown> };

export interface PrivacyKitModuleOptions extends PrivacyKitOptions {
  /** Use this client (or the `./testing` fake) instead of building one. */
  client?: ShutdownClient;
  /** Time given to the audit flush on shutdown, in ms (default 5,000). */
  shutdownTimeoutMs?: number;
}

export interface PrivacyKitModuleAsyncOptions {
  imports?: any[];
  inject?: any[];
  useFactory: (...args: any[]) => PrivacyKitModuleOptions | Promise<PrivacyKitModuleOptions>;
}

const rules = new WeakMap<object, RequiresConsentOptions>();
const OPTIONS = Symbol.for('@privacykit/node:options');

@Injectable()
export class PrivacyKitGuard implements CanActivate {
  constructor(@Inject(PRIVACYKIT) private readonly client: GuardClient) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const rule = rules.get(context.getHandler()) ?? rules.get(context.getClass());
    if (!rule) return true;
    const http = context.switchToHttp();
    const req = http.getRequest<NestRequest>();
    const res = http.getResponse<ServerResponse>();
    if (!req.privacykit) {
      req.privacykit = contextFromHeaders(req.headers);
      if (!res.headersSent) res.setHeader('X-Request-Id', req.privacykit.requestId);
    }
    const pk = req.privacykit;
    if (rule.audit) {
      const audit = rule.audit;
      whenAnswered(res, (status) => recordAccess(this.client, audit, req, status, pk));
    }
    const verdict = await decide(this.client, rule, req, pk);
    if (verdict.ok) return true;
    for (const [k, v] of Object.entries(verdict.refusal.headers)) res.setHeader(k, v);
    throw new HttpException(verdict.refusal.body, verdict.refusal.status);
  }
}

/** Marks a handler (or a whole controller) as needing consent; applies {@link PrivacyKitGuard}. */
export function RequiresConsent(options: RequiresConsentOptions): MethodDecorator & ClassDecorator {
  const remember = (target: object, _key?: string | symbol, descriptor?: PropertyDescriptor) => {
    rules.set(descriptor ? (descriptor.value as object) : target, options);
  };
  return applyDecorators(remember as MethodDecorator & ClassDecorator, UseGuards(PrivacyKitGuard));
}

@Injectable()
class PrivacyKitLifecycle implements OnApplicationShutdown {
  constructor(
    @Inject(PRIVACYKIT) private readonly client: ShutdownClient,
    @Inject(OPTIONS) private readonly options: PrivacyKitModuleOptions,
  ) {}
  async onApplicationShutdown(): Promise<void> {
    await this.client.close?.({ timeoutMs: this.options.shutdownTimeoutMs ?? 5000 });
  }
}

function clientProvider(): Provider {
  return {
    provide: PRIVACYKIT,
    inject: [OPTIONS],
    useFactory: (options: PrivacyKitModuleOptions) => options.client ?? new PrivacyKit(options),
  };
}

@Global()
@Module({})
export class PrivacyKitModule {
  static forRoot(options: PrivacyKitModuleOptions = {}): DynamicModule {
    return {
      module: PrivacyKitModule,
      global: true,
      providers: [{ provide: OPTIONS, useValue: options }, clientProvider(), PrivacyKitLifecycle, PrivacyKitGuard],
      exports: [PRIVACYKIT, PrivacyKitGuard],
    };
  }

  static forRootAsync(options: PrivacyKitModuleAsyncOptions): DynamicModule {
    return {
      module: PrivacyKitModule,
      global: true,
      imports: options.imports ?? [],
      providers: [
        { provide: OPTIONS, inject: options.inject ?? [], useFactory: options.useFactory },
        clientProvider(),
        PrivacyKitLifecycle,
        PrivacyKitGuard,
      ],
      exports: [PRIVACYKIT, PrivacyKitGuard],
    };
  }
}

export type { AuditRule, ConsentRule, GuardClient, Refusal } from './guard.js';

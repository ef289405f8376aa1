import { contextHeaders, currentContext, type RequestContext } from './context.js';
import {
  PrivacyKitError,
  PrivacyKitUnavailableError,
  errorFromResponse,
  isRetryable,
  type ProblemDetails,
} from './errors.js';
import { backoffDelay, sleep } from './backoff.js';

/** A bearer token, or a function returning one (called before every request: cache inside it). */
export type TokenSource = string | (() => string | Promise<string>);

export type FetchLike = (input: string, init: RequestInit) => Promise<Response>;

export interface TransportOptions {
  baseUrl: string;
  token: TokenSource;
  timeoutMs: number;
  fetch: FetchLike;
  userAgent: string;
  /** Retries of idempotent calls (GET, and POSTs carrying an idempotency key). */
  retries: number;
}

export interface CallOptions {
  /** Cancels the call. */
  signal?: AbortSignal | undefined;
  /** Overrides the client's per-request timeout. */
  timeoutMs?: number | undefined;
  /** Request context (request id, traceparent, Sec-GPC); defaults to the current one; null sends none. */
  context?: RequestContext | null | undefined;
}

export interface RequestSpec extends CallOptions {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  path: string;
  query?: Record<string, string | number | boolean | undefined | null> | undefined;
  json?: unknown;
  body?: string;
  contentType?: string;
  accept?: string;
  /** Safe to repeat: retried on unavailability. */
  idempotent?: boolean;
}

export class Transport {
  readonly options: TransportOptions;
  constructor(options: TransportOptions) {
    this.options = { ...options, baseUrl: options.baseUrl.replace(/\/+$/, '') };
  }

  url(path: string, query?: RequestSpec['query']): string {
    const url = new URL(this.options.baseUrl + path);
    for (const [k, v] of Object.entries(query ?? {})) {
      if (v !== undefined && v !== null) url.searchParams.set(k, String(v));
    }
    return url.toString();
  }

  private async token(): Promise<string> {
    const source = this.options.token;
    return typeof source === 'function' ? await source() : source;
  }

  /** Sends once; answers the raw Response (2xx) or throws a typed error. */
  async send(spec: RequestSpec): Promise<Response> {
    const timeoutMs = spec.timeoutMs ?? this.options.timeoutMs;
    const timeout = AbortSignal.timeout(timeoutMs);
    const signal = spec.signal ? AbortSignal.any([spec.signal, timeout]) : timeout;
    const headers: Record<string, string> = {
      Accept: spec.accept ?? 'application/json',
      'User-Agent': this.options.userAgent,
      ...contextHeaders(spec.context === null ? undefined : (spec.context ?? currentContext())),
    };
    let body: string | undefined;
    if (spec.json !== undefined) {
      body = JSON.stringify(spec.json);
      headers['Content-Type'] = 'application/json';
    } else if (spec.body !== undefined) {
      body = spec.body;
      headers['Content-Type'] = spec.contentType ?? 'text/plain';
    }
    let response: Response;
    try {
      headers['Authorization'] = `Bearer ${await this.token()}`;
      const init: RequestInit = { method: spec.method, headers, signal, redirect: 'error' };
      if (body !== undefined) init.body = body;
      signal.throwIfAborted();
      response = await this.options.fetch(this.url(spec.path, spec.query), init);
    } catch (error) {
      if (spec.signal?.aborted) throw spec.signal.reason ?? error;
      const timedOut = timeout.aborted;
      throw new PrivacyKitUnavailableError({
        status: 0,
        type: timedOut ? 'urn:privacykit:client:timeout' : 'urn:privacykit:client:unreachable',
        title: timedOut ? 'PrivacyKit timed out' : 'PrivacyKit unreachable',
        detail: timedOut ? `no answer within ${timeoutMs} ms` : String((error as Error)?.cause ?? (error as Error)?.message ?? error),
        timeout: timedOut,
        cause: error,
      });
    }
    if (response.ok) return response;
    let problem: ProblemDetails | undefined;
    try {
      const text = await response.text();
      problem = text ? (JSON.parse(text) as ProblemDetails) : undefined;
      if (problem === null || typeof problem !== 'object') problem = undefined;
    } catch {
      problem = undefined;
    }
    throw errorFromResponse(response.status, problem, response.headers);
  }

  /** Sends, retrying idempotent calls on unavailability with jittered backoff. */
  async request(spec: RequestSpec): Promise<Response> {
    const attempts = spec.idempotent ? this.options.retries + 1 : 1;
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.send(spec);
      } catch (error) {
        if (attempt + 1 >= attempts || !isRetryable(error) || spec.signal?.aborted) throw error;
        const retryAfter = (error as { retryAfter?: number }).retryAfter;
        await sleep(backoffDelay(attempt, { baseMs: 100, maxMs: 2000, retryAfterSeconds: retryAfter }), spec.signal);
      }
    }
  }

  async json<T>(spec: RequestSpec): Promise<T> {
    const response = await this.request(spec);
    const text = await response.text();
    try {
      return (text ? JSON.parse(text) : undefined) as T;
    } catch (cause) {
      throw new PrivacyKitError({ status: response.status, title: 'Bad response', detail: 'the answer is not JSON', cause });
    }
  }

  async text(spec: RequestSpec): Promise<string> {
    return (await this.request(spec)).text();
  }
}

/** Yields the parsed lines of an NDJSON response body. */
export async function* ndjson<T>(response: Response): AsyncGenerator<T> {
  if (!response.body) return;
  const decoder = new TextDecoder();
  let buffer = '';
  for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
    buffer += decoder.decode(chunk, { stream: true });
    let newline: number;
    while ((newline = buffer.indexOf('\n')) >= 0) {
      const line = buffer.slice(0, newline).trim();
      buffer = buffer.slice(newline + 1);
      if (line) yield JSON.parse(line) as T;
    }
  }
  buffer += decoder.decode();
  if (buffer.trim()) yield JSON.parse(buffer) as T;
}

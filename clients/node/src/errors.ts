/** Errors raised by the client, typed from the service's RFC 9457 problem body. */

export interface ProblemDetails {
  type?: string;
  title?: string;
  status?: number;
  detail?: string;
  pointer?: string;
  correlation_id?: string;
  [key: string]: unknown;
}

/** Any failed call to PrivacyKit: an HTTP problem, or no answer at all (status 0). */
export class PrivacyKitError extends Error {
  override name = 'PrivacyKitError';
  /** HTTP status; 0 when the service was not reached. */
  readonly status: number;
  readonly type: string;
  readonly title: string;
  readonly detail: string;
  /** JSON Pointer into the request body (or `?param` / `{param}`) naming the bad field. */
  readonly pointer: string | undefined;
  /** The request id the service answered with (`correlation_id` / `X-Request-Id`). */
  readonly requestId: string | undefined;
  readonly problem: ProblemDetails | undefined;

  constructor(init: {
    status: number;
    type?: string;
    title?: string;
    detail?: string;
    pointer?: string;
    requestId?: string;
    problem?: ProblemDetails;
    cause?: unknown;
  }) {
    super(
      `${init.title ?? 'PrivacyKit error'}${init.status ? ` (HTTP ${init.status})` : ''}: ${init.detail ?? ''}`.trim(),
      init.cause === undefined ? undefined : { cause: init.cause },
    );
    this.status = init.status;
    this.type = init.type ?? 'about:blank';
    this.title = init.title ?? 'PrivacyKit error';
    this.detail = init.detail ?? '';
    this.pointer = init.pointer;
    this.requestId = init.requestId;
    this.problem = init.problem;
  }
}

/** 403: the token may not do this (insufficient scope, another tenant, …). */
export class PrivacyKitDeniedError extends PrivacyKitError {
  override name = 'PrivacyKitDeniedError';
}

/** The service could not answer: 502/503/504, a network error or a timeout. Retry later. */
export class PrivacyKitUnavailableError extends PrivacyKitError {
  override name = 'PrivacyKitUnavailableError';
  /** Seconds to wait, from `Retry-After`, when the service said. */
  readonly retryAfter: number | undefined;
  /** True when the per-request timeout fired. */
  readonly timeout: boolean;
  constructor(init: ConstructorParameters<typeof PrivacyKitError>[0] & { retryAfter?: number; timeout?: boolean }) {
    super(init);
    this.retryAfter = init.retryAfter;
    this.timeout = init.timeout ?? false;
  }
}

/** 429: too many requests; `retryAfter` seconds from the `Retry-After` header. */
export class PrivacyKitRateLimitError extends PrivacyKitError {
  override name = 'PrivacyKitRateLimitError';
  readonly retryAfter: number | undefined;
  constructor(init: ConstructorParameters<typeof PrivacyKitError>[0] & { retryAfter?: number }) {
    super(init);
    this.retryAfter = init.retryAfter;
  }
}

/** The audit batcher's queue is full and its overflow policy is `reject`, or it is closed. */
export class AuditQueueFullError extends Error {
  override name = 'AuditQueueFullError';
}

/** Parses `Retry-After` (delta seconds or an HTTP date) into seconds. */
export function parseRetryAfter(value: string | null | undefined, now: number = Date.now()): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, Math.ceil((date - now) / 1000));
}

/** True for errors worth retrying: unavailability, rate limits, 408. */
export function isRetryable(error: unknown): boolean {
  return (
    error instanceof PrivacyKitUnavailableError ||
    error instanceof PrivacyKitRateLimitError ||
    (error instanceof PrivacyKitError && error.status === 408)
  );
}

/** Builds the typed error for a non-2xx answer. */
export function errorFromResponse(
  status: number,
  problem: ProblemDetails | undefined,
  headers: { get(name: string): string | null },
): PrivacyKitError {
  const init = {
    status,
    type: problem?.type,
    title: problem?.title,
    detail: problem?.detail ?? `HTTP ${status}`,
    pointer: problem?.pointer,
    requestId: problem?.correlation_id ?? headers.get('x-request-id') ?? undefined,
    problem,
  };
  const retryAfter = parseRetryAfter(headers.get('retry-after'));
  if (status === 403) return new PrivacyKitDeniedError(init);
  if (status === 429) return new PrivacyKitRateLimitError({ ...init, retryAfter });
  if (status === 502 || status === 503 || status === 504) return new PrivacyKitUnavailableError({ ...init, retryAfter });
  return new PrivacyKitError(init);
}

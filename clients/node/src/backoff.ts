/** Jittered exponential backoff, honouring a server's `Retry-After`. */
export interface BackoffOptions {
  baseMs: number;
  maxMs: number;
  /** Seconds the server asked to wait; the delay is never shorter. */
  retryAfterSeconds?: number | undefined;
  /** Random source in [0, 1); injectable for tests. */
  random?: () => number;
}

/** Delay before retry number `attempt` (0 for the first retry): "equal jitter", at least Retry-After. */
export function backoffDelay(attempt: number, options: BackoffOptions): number {
  const random = options.random ?? Math.random;
  const ceiling = Math.min(options.maxMs, options.baseMs * 2 ** Math.min(attempt, 30));
  const jittered = ceiling / 2 + random() * (ceiling / 2);
  const floor = options.retryAfterSeconds !== undefined ? options.retryAfterSeconds * 1000 : 0;
  return Math.round(Math.max(jittered, floor));
}

/**
 * Resolves after `ms`, or rejects when `signal` aborts. `unref` lets the process exit meanwhile
 * (background work such as the audit batcher); a call someone awaits keeps it alive.
 */
export function sleep(ms: number, signal?: AbortSignal, unref = false): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    if (unref) timer.unref?.();
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

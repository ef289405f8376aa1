import { EventEmitter } from 'node:events';
import { randomUUID } from 'node:crypto';
import { AuditQueueFullError, PrivacyKitError, isRetryable } from './errors.js';
import { backoffDelay, sleep } from './backoff.js';
import type { AuditEventInput } from './types.js';

export type OverflowPolicy = 'drop-newest' | 'drop-oldest' | 'reject';

export interface AuditBatcherOptions {
  /** Most events waiting (default 10,000). */
  maxQueue?: number;
  /** Most events per request (default 100; the service takes up to 1,000). */
  maxBatch?: number;
  /** Send what is queued at least this often, in ms (default 1,000). */
  flushIntervalMs?: number;
  /** What to do with an event when the queue is full (default `drop-oldest`). */
  overflow?: OverflowPolicy;
  /** First retry delay in ms (default 200), doubled each time with jitter. */
  backoffBaseMs?: number;
  /** Longest retry delay in ms (default 30,000). */
  backoffMaxMs?: number;
  /** Retries of a batch before it is given up and counted as dropped (default: no limit). */
  maxRetries?: number;
  /**
   * Give each event an `idempotency_key` so a retried batch appends nothing twice (default true).
   * Needs a service that accepts the field.
   */
  idempotencyKeys?: boolean;
  /** @internal for tests */
  random?: () => number;
  /** @internal for tests */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

export type SendBatch = (events: AuditEventInput[], signal: AbortSignal) => Promise<number[]>;

export interface CloseResult {
  /** Events the service confirmed (since the batcher started). */
  sent: number;
  /** Events dropped: overflow, rejected batches, or given up. */
  dropped: number;
  /** Events still unsent when the timeout fired. */
  left: number;
}

export interface DroppedEvent {
  count: number;
  reason: 'overflow' | 'rejected' | 'closed' | 'gave-up';
  error?: unknown;
}

/**
 * Queues audit events and sends them in batches: by size and by interval (timer unref'd), one batch
 * in flight, retried with jittered exponential backoff honouring `Retry-After`.
 *
 * Events: `dropped` ({@link DroppedEvent}), `retry` ({attempt, delayMs, error}), `sent` ({count}).
 */
export class AuditBatcher extends EventEmitter {
  private readonly queue: AuditEventInput[] = [];
  private inflight: AuditEventInput[] = [];
  private flushing: Promise<void> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private closed = false;
  private readonly abort = new AbortController();
  private readonly opts: Required<Omit<AuditBatcherOptions, 'random' | 'sleep'>> & Pick<AuditBatcherOptions, 'random'>;
  private readonly sleeper: (ms: number, signal?: AbortSignal) => Promise<void>;
  sent = 0;
  dropped = 0;

  constructor(
    private readonly sendBatch: SendBatch,
    options: AuditBatcherOptions = {},
  ) {
    super();
    this.opts = {
      maxQueue: options.maxQueue ?? 10_000,
      maxBatch: Math.min(options.maxBatch ?? 100, 1000),
      flushIntervalMs: options.flushIntervalMs ?? 1000,
      overflow: options.overflow ?? 'drop-oldest',
      backoffBaseMs: options.backoffBaseMs ?? 200,
      backoffMaxMs: options.backoffMaxMs ?? 30_000,
      maxRetries: options.maxRetries ?? Number.POSITIVE_INFINITY,
      idempotencyKeys: options.idempotencyKeys ?? true,
      random: options.random,
    };
    this.sleeper = options.sleep ?? ((ms, signal) => sleep(ms, signal, true));
  }

  /** Events waiting, those of the batch in flight included. */
  get pending(): number {
    return this.queue.length + this.inflight.length;
  }

  /**
   * Queues one event. Returns false when it was dropped (`drop-newest`); throws
   * {@link AuditQueueFullError} when full under `reject`, or when closed.
   */
  enqueue(event: AuditEventInput): boolean {
    if (this.closed) {
      this.countDropped(1, 'closed');
      throw new AuditQueueFullError('the audit batcher is closed');
    }
    const item: AuditEventInput =
      this.opts.idempotencyKeys && !event.idempotency_key ? { ...event, idempotency_key: `pk-${randomUUID()}` } : { ...event };
    if (this.pending >= this.opts.maxQueue) {
      switch (this.opts.overflow) {
        case 'reject':
          this.countDropped(1, 'overflow');
          throw new AuditQueueFullError(`audit queue full (${this.opts.maxQueue} events)`);
        case 'drop-newest':
          this.countDropped(1, 'overflow');
          return false;
        case 'drop-oldest':
          if (this.queue.length === 0) {
            this.countDropped(1, 'overflow');
            return false;
          }
          this.queue.shift();
          this.countDropped(1, 'overflow');
      }
    }
    this.queue.push(item);
    this.startTimer();
    if (this.queue.length >= this.opts.maxBatch) void this.flushInBackground();
    return true;
  }

  private countDropped(count: number, reason: DroppedEvent['reason'], error?: unknown): void {
    this.dropped += count;
    if (this.listenerCount('dropped') > 0) this.emit('dropped', { count, reason, error } satisfies DroppedEvent);
  }

  private startTimer(): void {
    if (this.timer || this.closed) return;
    this.timer = setInterval(() => {
      if (this.queue.length > 0) void this.flushInBackground();
    }, this.opts.flushIntervalMs);
    this.timer.unref();
  }

  private flushInBackground(): Promise<void> {
    return this.flush().catch(() => undefined);
  }

  /** Sends everything queued now (and what arrives meanwhile); resolves when the queue is empty. */
  flush(): Promise<void> {
    if (!this.flushing) {
      this.flushing = this.drain().finally(() => {
        this.flushing = null;
      });
    }
    return this.flushing;
  }

  private async drain(): Promise<void> {
    while (this.queue.length > 0 && !this.abort.signal.aborted) {
      this.inflight = this.queue.splice(0, this.opts.maxBatch);
      const batch = this.inflight;
      try {
        await this.sendWithRetry(batch);
        this.sent += batch.length;
        if (this.listenerCount('sent') > 0) this.emit('sent', { count: batch.length });
      } catch (error) {
        if (this.abort.signal.aborted) {
          // closing: the batch is counted as left, put it back in front
          this.queue.unshift(...batch);
          this.inflight = [];
          return;
        }
        this.countDropped(batch.length, isRetryable(error) ? 'gave-up' : 'rejected', error);
      } finally {
        if (this.inflight === batch) this.inflight = [];
      }
    }
  }

  private async sendWithRetry(batch: AuditEventInput[]): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      try {
        await this.sendBatch(batch, this.abort.signal);
        return;
      } catch (error) {
        if (!isRetryable(error) || attempt >= this.opts.maxRetries || this.abort.signal.aborted) throw error;
        const retryAfter = error instanceof PrivacyKitError ? (error as { retryAfter?: number }).retryAfter : undefined;
        const delayMs = backoffDelay(attempt, {
          baseMs: this.opts.backoffBaseMs,
          maxMs: this.opts.backoffMaxMs,
          retryAfterSeconds: retryAfter,
          ...(this.opts.random ? { random: this.opts.random } : {}),
        });
        if (this.listenerCount('retry') > 0) this.emit('retry', { attempt: attempt + 1, delayMs, error });
        await this.sleeper(delayMs, this.abort.signal);
      }
    }
  }

  /**
   * Stops taking events, sends what is queued for at most `timeoutMs` (default 5,000), then gives
   * up on the rest. Safe to call more than once.
   */
  async close(options: { timeoutMs?: number } = {}): Promise<CloseResult> {
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    const timeoutMs = options.timeoutMs ?? 5000;
    let deadline: NodeJS.Timeout | undefined;
    const timedOut = new Promise<void>((resolve) => {
      // ref'd on purpose: whoever awaits close() wants the answer; bounded by timeoutMs
      deadline = setTimeout(resolve, timeoutMs);
    });
    try {
      await Promise.race([this.flush().catch(() => undefined), timedOut]);
    } finally {
      clearTimeout(deadline);
    }
    if (this.pending > 0 || this.flushing) {
      this.abort.abort(new Error('audit batcher closed'));
      await this.flushing?.catch(() => undefined);
    }
    return { sent: this.sent, dropped: this.dropped, left: this.pending };
  }
}

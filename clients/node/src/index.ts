export {
  PrivacyKit,
  VERSION,
  ConsentsApi,
  PolicyApi,
  MeApi,
  RequestsApi,
  AuditApi,
  CryptoApi,
  WebhooksApi,
  type PrivacyKitOptions,
  type CryptoBatchResult,
  type RequestType,
  type RequestStep,
} from './client.js';
export {
  PrivacyKitError,
  PrivacyKitDeniedError,
  PrivacyKitUnavailableError,
  PrivacyKitRateLimitError,
  AuditQueueFullError,
  parseRetryAfter,
  isRetryable,
  type ProblemDetails,
} from './errors.js';
export { AuditBatcher, type AuditBatcherOptions, type OverflowPolicy, type CloseResult, type DroppedEvent } from './batcher.js';
export { DecisionCache, type DecisionCacheOptions } from './cache.js';
export { runWithContext, currentContext, contextFromHeaders, contextHeaders, type RequestContext } from './context.js';
export { backoffDelay } from './backoff.js';
export type { CallOptions, TokenSource, FetchLike } from './http.js';
export {
  verifyWebhookSignature,
  signWebhook,
  handleWebhook,
  createWebhookHandler,
  type WebhookEvent,
  type WebhookHandlerOptions,
  type WebhookResult,
  type VerifyOptions,
} from './webhooks.js';
export {
  decide,
  recordAccess,
  deniedProblem,
  unavailableProblem,
  type GuardClient,
  type ConsentRule,
  type AuditRule,
  type Refusal,
  type Verdict,
} from './guard.js';
export type * from './types.js';

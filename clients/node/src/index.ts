export {
  PrivacyKit,
  VERSION,
  ConsentsApi,
  PolicyApi,
  MeApi,
  AuditApi,
  CryptoApi,
  WebhooksApi,
  type PrivacyKitOptions,
  type CryptoBatchResult,
} from './client.js';
export { RequestsApi, MeRequestsApi, type RequestType, type RequestStep, type PackageFormat } from './requests.js';
export { ConsentManagersApi } from './consentManagers.js';
export { IncidentsApi, type IncidentStep, type IncidentUpdate } from './incidents.js';
export { RetentionApi } from './retention.js';
export { GuardiansApi, MeWardsApi } from './guardians.js';
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
  WEBHOOK_EVENT_TYPES,
  type WebhookEvent,
  type WebhookEventType,
  type WebhookHandlerOptions,
  type WebhookResult,
  type VerifyOptions,
} from './webhooks.js';
export {
  decide,
  recordAccess,
  deniedProblem,
  unavailableProblem,
  HOLD_REASONS,
  isHoldReason,
  type GuardClient,
  type ConsentRule,
  type AuditRule,
  type Refusal,
  type Verdict,
} from './guard.js';
export type * from './types.js';

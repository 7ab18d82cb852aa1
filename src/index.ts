/** Public entry point. */

export type { Middleware } from 'openapi-fetch';
export type {
  UpdateAllowPolicyBody,
  UpdateAllowPolicyResult,
} from '../generated/operations.js';
export {
  API_KEY_ADVISORY_CODE,
  type ApiKeyCredentials,
  type ApiTokenCredentials,
  type AuthOption,
  type Credentials,
  type CredentialsProvider,
} from './auth.js';
export {
  type AllowPolicyUpdate,
  type ApiResponse,
  createEmailSecurityClient,
  type EmailSecurityClient,
  type OperationCall,
  type OperationInput,
  type OperationName,
  type Operations,
} from './client.js';
export {
  createDefaultDeprecationHandler,
  DEPRECATION_WARNING_CODE,
  type DeprecationAction,
  type DeprecationEvent,
  type DeprecationHandler,
  type DeprecationPolicy,
} from './deprecations.js';
export {
  AbortError,
  type ApiErrorDetails,
  AuthenticationError,
  BadRequestError,
  CloudflareApiError,
  type CloudflareMessage,
  ConflictError,
  ConnectionError,
  CredentialsError,
  DeprecatedFieldError,
  DeprecationConflictError,
  EmailSecurityError,
  InternalServerError,
  InvalidResponseError,
  NotFoundError,
  PermissionDeniedError,
  RateLimitError,
  type RequestContext,
  TimeoutError,
  UnprocessableEntityError,
  ValidationError,
  type ValidationIssue,
} from './errors.js';
export type { Logger, LogLevel } from './logger.js';
export type { OperationMetadata } from './metadata.js';
export type { EmailSecurityClientOptions, RequestOptions } from './options.js';
export type { FetchLike, RetryTiming } from './retry.js';

/** Public entry point. */

/** openapi-fetch types, re-exported for the operation registries `cfes generate` writes. */
export type { FetchResponse, Middleware, RequestBodyOption } from 'openapi-fetch';
export type {
  OperationTypes,
  Resources,
  UpdateAllowPolicyBody,
  UpdateAllowPolicyMethod,
  UpdateAllowPolicyResult,
} from '../generated/operations.js';
/** The openapi-typescript types of the vendored spec (`paths['/accounts/…']`, `components['schemas'][…]`). */
export type { components, operations as SpecOperations, paths } from '../generated/schema.js';
export {
  API_KEY_ADVISORY_CODE,
  type ApiKeyCredentials,
  type ApiTokenCredentials,
  type AuthOption,
  type Credentials,
  type CredentialsProvider,
} from './auth.js';
export {
  type ApiResponse,
  createEmailSecurityClient,
  type EmailSecurityClient,
  type EmailSecurityClientWith,
  type OperationCall,
  type OperationInput,
  type OperationName,
  type Operations,
} from './client.js';
/** The modular factory (also the `./core` entry, with one export per operation). */
export { type ClientCore, type ClientOf, createClient, type OperationCallOf } from './core.js';
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
  PaginationError,
  PermissionDeniedError,
  RateLimitError,
  type RequestContext,
  ResponseTooLargeError,
  TimeoutError,
  UnprocessableEntityError,
  ValidationError,
  type ValidationIssue,
} from './errors.js';
export type { Logger, LogLevel } from './logger.js';
export type {
  OperationMetadata,
  PaginationMetadata,
  ResourceMethodMetadata,
} from './metadata.js';
export { type ApplyOptions, applyPlan } from './migrate/apply.js';
export {
  type AuditFinding,
  type AuditOptions,
  type AuditProgress,
  type AuditReport,
  auditAllowPolicies,
  type FindingKind,
  type FindingSeverity,
} from './migrate/audit.js';
export {
  BACKUP_FORMAT,
  type BackupEntry,
  type BackupStore,
  checkBackup,
  type MigrationBackup,
} from './migrate/backup.js';
export { MigrationError } from './migrate/errors.js';
export {
  fileBackupStore,
  type JsonFileOptions,
  type JsonFileSystem,
  readJsonFile,
  writeJsonFile,
} from './migrate/file-store.js';
export {
  checkPlan,
  type MigrationPlan,
  PLAN_FORMAT,
  type PlanItem,
  type PlannedChange,
  planMigration,
} from './migrate/plan.js';
export { type RestoreOptions, type RestoreSummary, restoreBackup } from './migrate/restore.js';
export type { AuditRules, SpecIdentity } from './migrate/rules.js';
export type {
  ApplyMode,
  ItemResult,
  ItemStatus,
  RunProgress,
  RunSummary,
} from './migrate/run.js';
export type {
  EmailSecurityClientOptions,
  RequestOptions,
  ResponseDeprecations,
} from './options.js';
export type {
  Page,
  PagedList,
  PageResponse,
  PagingOptions,
} from './pagination.js';
export type { RateLimitBudget, RateLimitReason, RateLimitWait } from './rate-limit.js';
export type { OperationEntry, RegistryEntry, RegistryTypes } from './registry.js';
export type {
  CallByOperationId,
  InputOf,
  OperationId,
  OperationTypesEntry,
  WithWritable,
} from './resources.js';
export type { FetchLike, RetryTiming } from './retry.js';
export { isUuid, type Uuid, type UuidArg } from './uuid.js';

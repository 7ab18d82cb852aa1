/**
 * What the allow-policy audit, apply and restore know about a policy, from two sources:
 *
 * - the generated metadata (the spec): deprecated properties and their replacements (with the
 *   replacement's description), deprecated enum values and whether they can still be written,
 *   which properties an update can write, the list's page-size parameter and its maximum, the
 *   batch body's required arrays, the spec's sha256;
 * - the audit rules (`openapi/allow-policy-audit.ts`, the one place naming the fields the spec
 *   cannot mark by itself: trust flags, the verification flag, the domain-wide pattern type…).
 *
 * `policySchema()` checks the rules against the metadata, so a renamed field fails loudly.
 * Nothing in this file names a spec field.
 */
import {
  batchAllowPoliciesMetadata,
  getAllowPolicyMetadata,
  listAllowPoliciesMetadata,
  replacementDescriptions,
  specSource,
  updateAllowPolicyMetadata,
} from '../../generated/operations.js';
import { allowPolicyAuditRules } from '../../openapi/allow-policy-audit.js';
import type { DeprecationMetadata, OperationMetadata, ValueRule } from '../metadata.js';
import { MigrationError } from './errors.js';

/** The audit's judgments about fields (see `openapi/allow-policy-audit.ts`). */
export interface AuditRules {
  readonly id: string;
  readonly pattern: string;
  readonly patternType: string;
  readonly regexFlag: string;
  readonly trustFlags: readonly string[];
  readonly verificationFlag: string;
  readonly domainWidePatternTypes: readonly string[];
  readonly batchPatches: string;
}

/** The spec a report, plan or backup was made with. */
export interface SpecIdentity {
  readonly file: string;
  readonly sha256: string;
}

/** Everything the migration reads about a policy, checked once. */
export interface PolicySchema {
  readonly rules: AuditRules;
  readonly spec: SpecIdentity;
  /** Deprecated writable properties of a policy (with or without a replacement). */
  readonly deprecatedProperties: readonly DeprecationMetadata[];
  /** Deprecated enum values a policy may hold. */
  readonly deprecatedValues: readonly DeprecationMetadata[];
  /** What an update can write, by property. */
  readonly writable: Readonly<Record<string, ValueRule>>;
  /** Writable properties that are not deprecated: what restore compares and puts back. */
  readonly comparable: readonly string[];
  /** Query parameter of the page size, its largest value, and the page facts' total. */
  readonly pageSize: {
    readonly parameter: string;
    readonly max: number;
    readonly totalCount: string;
  };
  /** The batch body's required arrays other than the patches (sent empty). */
  readonly otherBatchArrays: readonly string[];
  /** The spec's `maxItems` of the patches array, when it has one. */
  readonly batchMaxItems: number | undefined;
}

const RULES_FILE = 'openapi/allow-policy-audit.ts';
let cached: PolicySchema | undefined;

/** The policy facts of the package's generated metadata and audit rules (checked on first use). */
export function policySchema(): PolicySchema {
  cached ??= buildPolicySchema(allowPolicyAuditRules, {
    get: withReplacementDescriptions(getAllowPolicyMetadata),
    list: listAllowPoliciesMetadata,
    update: updateAllowPolicyMetadata,
    batch: batchAllowPoliciesMetadata,
    spec: specSource,
  });
  return cached;
}

/** The metadata with its replacements' descriptions, which generated/ keeps beside it. */
function withReplacementDescriptions(metadata: OperationMetadata): OperationMetadata {
  const described: Readonly<Record<string, string>> =
    (replacementDescriptions as Record<string, Record<string, string>>)[metadata.functionName] ??
    {};
  return {
    ...metadata,
    deprecations: metadata.deprecations.map((d) => {
      const replacementDescription = d.replacement === null ? undefined : described[d.replacement];
      return replacementDescription === undefined ? d : { ...d, replacementDescription };
    }),
  };
}

/** The operations the migration uses, and the spec they came from. */
export interface PolicyOperations {
  readonly get: OperationMetadata;
  readonly list: OperationMetadata;
  readonly update: OperationMetadata;
  readonly batch: OperationMetadata;
  readonly spec: SpecIdentity;
}

export function buildPolicySchema(rules: AuditRules, ops: PolicyOperations): PolicySchema {
  const problems: string[] = [];
  const writable = ops.update.requestBody?.properties ?? {};
  const readOnly = ops.update.requestBody?.readOnlyProperties ?? [];
  const need = (field: string, what: string, type?: ValueRule['type']) => {
    const rule = writable[field];
    if (rule === undefined) problems.push(`${what} "${field}" is not a writable property`);
    else if (type !== undefined && rule.type !== type) {
      problems.push(`${what} "${field}" is ${rule.type}, not ${type}`);
    }
  };
  if (!readOnly.includes(rules.id)) problems.push(`id "${rules.id}" is not a read-only property`);
  need(rules.pattern, 'pattern', 'string');
  need(rules.patternType, 'patternType', 'string');
  need(rules.regexFlag, 'regexFlag', 'boolean');
  need(rules.verificationFlag, 'verificationFlag', 'boolean');
  for (const flag of rules.trustFlags) need(flag, 'trust flag', 'boolean');
  const types = writable[rules.patternType]?.enum ?? [];
  for (const type of rules.domainWidePatternTypes) {
    if (!types.includes(type)) problems.push(`pattern type "${type}" is not in the enum`);
  }
  const batchBody = ops.batch.requestBody;
  if (batchBody?.properties[rules.batchPatches]?.type !== 'array') {
    problems.push(`batch array "${rules.batchPatches}" is not in the batch body`);
  }
  const pagination = ops.list.pagination;
  const perPage = ops.list.parameters.find((p) => p.name === pagination?.perPageParameter);
  if (pagination === undefined || perPage === undefined) {
    problems.push(`${ops.list.operationId} is not a paged list`);
  }
  if (problems.length > 0) {
    throw new MigrationError(
      `the allow-policy audit rules (${RULES_FILE}) do not match ${ops.update.operationId} in ${ops.spec.file}: ${problems.join('; ')}. Update ${RULES_FILE} to the spec's names.`,
    );
  }
  const onPolicy = ops.get.deprecations;
  const deprecatedProperties = onPolicy.filter(
    (d) => d.kind === 'property' && !d.readOnly && d.field !== null,
  );
  const deprecated = new Set(deprecatedProperties.map((d) => d.field));
  return {
    rules,
    spec: { file: ops.spec.file, sha256: ops.spec.sha256 },
    deprecatedProperties,
    deprecatedValues: onPolicy.filter((d) => d.kind === 'enum-value' && d.field !== null),
    writable,
    comparable: Object.keys(writable).filter((field) => !deprecated.has(field)),
    pageSize: {
      parameter: perPage?.name as string,
      max: perPage?.rule.maximum ?? 100,
      totalCount: pagination?.info.totalCount as string,
    },
    batchMaxItems: batchBody?.properties[rules.batchPatches]?.maxItems,
    otherBatchArrays: (batchBody?.requiredProperties ?? []).filter(
      (name) => name !== rules.batchPatches && batchBody?.properties[name]?.type === 'array',
    ),
  };
}

/**
 * `auditAllowPolicies`: reads every allow policy of the account, page by page (one page in
 * memory), and reports what relies on dead fields or deserves a person's look.
 *
 * Deprecation findings come from the generated metadata only (src/migrate/rules.ts), so the
 * next deprecation in the spec is audited with no code change:
 *   deprecated-only       a deprecated property is set (boolean: `true`) and its replacement is
 *                         absent (or, for a boolean, `false`)                    → fix: set it
 *   deprecated-conflict   deprecated and replacement both set, to different values → warn
 *   deprecated-field      a deprecated property without a writable replacement is set → warn
 *   <value>-<field>       a deprecated enum value the spec forbids on writes, e.g.
 *                         `unknown-pattern-type`: cannot be written back            → warn
 *   deprecated-value      another deprecated enum value                             → warn
 * The rest follow the audit rules (openapi/allow-policy-audit.ts), judged on the policy as it will
 * be once its fixes are applied (so a reviewer sees the trust the fix grants):
 *   unverified-trust      a trust flag without the verification flag               → warn
 *   domain-wide-trust     a trust flag for a whole-domain pattern type             → warn
 *   duplicate             the same pattern and pattern type in another policy     → warn
 *   regex                 the pattern is a regular expression                      → info
 * Read-only deprecated fields (server-managed timestamps) are not the policy owner's to fix.
 * Memory holds one page, the findings, and one number per distinct pattern (DuplicateIndex).
 */
import type { EmailSecurityClient } from '../client.js';
import type { DeprecationMetadata } from '../metadata.js';
import type { RequestOptions } from '../options.js';
import { MigrationError } from './errors.js';
import { type PolicySchema, policySchema, type SpecIdentity } from './rules.js';

export type FindingSeverity = 'fix' | 'warn' | 'info';

/** Finding kinds; a deprecated enum value forbidden on writes adds `<value>-<field>`, e.g. `unknown-pattern-type`. */
export type FindingKind =
  | 'deprecated-only'
  | 'deprecated-conflict'
  | 'deprecated-field'
  | 'deprecated-value'
  | 'unverified-trust'
  | 'domain-wide-trust'
  | 'duplicate'
  | 'regex'
  | (string & {});

export interface AuditFinding {
  readonly kind: FindingKind;
  readonly severity: FindingSeverity;
  readonly policyId: string;
  readonly pattern: string | null;
  readonly patternType: string | null;
  /** The fields involved (the deprecated one first, then its replacement). */
  readonly fields: readonly string[];
  readonly message: string;
  /** `fix` only: what to send. */
  readonly patch?: Readonly<Record<string, unknown>>;
  /** `fix` only: the fields involved as read (a field of `patch` missing here was absent). */
  readonly before?: Readonly<Record<string, unknown>>;
  /** `fix` only: the spec's description of each field the patch sets. */
  readonly descriptions?: Readonly<Record<string, string | null>>;
}

/** What `auditAllowPolicies` returns, and what `cfes audit --json` prints. */
export interface AuditReport {
  readonly accountId: string;
  /** ISO timestamp of the audit's start. */
  readonly auditedAt: string;
  readonly spec: SpecIdentity;
  /** How many policies were read. */
  readonly policies: number;
  readonly findings: readonly AuditFinding[];
  /** Findings per severity. */
  readonly counts: Readonly<Record<FindingSeverity, number>>;
}

export interface AuditProgress {
  /** `reading`: the audit's pass; `duplicates`: the second pass, only when a pattern repeats. */
  readonly phase: 'reading' | 'duplicates';
  readonly policies: number;
  readonly pages: number;
  /** The list's total, once the first page said it. */
  readonly total: number | undefined;
}

export interface AuditOptions {
  /** The account; default the client's. */
  readonly accountId?: string;
  readonly signal?: AbortSignal;
  /** Called after every page. */
  readonly onProgress?: (progress: AuditProgress) => void;
  /** Clock of `auditedAt`. */
  readonly now?: () => Date;
}

type Policy = Readonly<Record<string, unknown>>;

export async function auditAllowPolicies(
  client: EmailSecurityClient,
  options: AuditOptions = {},
): Promise<AuditReport> {
  const schema = policySchema();
  const accountId = accountOf(client, options.accountId);
  const auditedAt = (options.now?.() ?? new Date()).toISOString();
  const findings: AuditFinding[] = [];
  const duplicates = new DuplicateIndex(schema);
  const reading = { accountId, signal: options.signal };
  let policies = 0;
  let pages = 0;
  for await (const page of readPolicies(client, schema, reading)) {
    pages += 1;
    for (const policy of page.items) {
      policies += 1;
      const identity = identify(schema, policy);
      for (const finding of auditPolicy(schema, policy, identity)) findings.push(finding);
      duplicates.add(identity);
    }
    const total = totalOf(page.resultInfo, schema);
    options.onProgress?.({ phase: 'reading', policies, pages, total });
  }
  if (duplicates.candidates > 0) {
    // A second pass collects the policies of the repeated keys only (memory ∝ findings).
    let read = 0;
    for await (const page of readPolicies(client, schema, reading)) {
      for (const policy of page.items) duplicates.collect(identify(schema, policy));
      read += page.items.length;
      options.onProgress?.({ phase: 'duplicates', policies: read, pages, total: policies });
    }
    for (const finding of duplicates.findings()) findings.push(finding);
  }
  const counts = { fix: 0, warn: 0, info: 0 };
  for (const finding of findings) counts[finding.severity] += 1;
  return { accountId, auditedAt, spec: schema.spec, policies, findings, counts };
}

/** The account of a run: the given one, else the client's; required. */
export function accountOf(client: EmailSecurityClient, given: string | undefined): string {
  const accountId = given ?? client.accountId;
  if (accountId === undefined || accountId === '') {
    throw new MigrationError(
      'no account: pass accountId, or create the client with accountId (or set CLOUDFLARE_ACCOUNT_ID).',
    );
  }
  return accountId;
}

/**
 * Every page of the account's policies, as the API stores them (`responseDeprecations:
 * 'as-sent'`: no replacement filled in from a deprecated field), at the largest page size.
 */
export function readPolicies(
  client: EmailSecurityClient,
  schema: PolicySchema,
  options: { readonly accountId: string; readonly signal?: AbortSignal | undefined },
) {
  const requestOptions: RequestOptions = {
    accountId: options.accountId,
    responseDeprecations: 'as-sent',
    ...(options.signal && { signal: options.signal }),
  };
  const list = client.allowPolicies.list as unknown as (
    query: Record<string, unknown>,
    options: RequestOptions,
  ) => { pages(): AsyncIterableIterator<{ items: readonly Policy[]; resultInfo: unknown }> };
  return list({ [schema.pageSize.parameter]: schema.pageSize.max }, requestOptions).pages();
}

function totalOf(resultInfo: unknown, schema: PolicySchema): number | undefined {
  const total = (resultInfo as Record<string, unknown> | undefined)?.[schema.pageSize.totalCount];
  return typeof total === 'number' ? total : undefined;
}

// ---------------------------------------------------------------- one policy

/** The findings of one policy, except duplicates (which need the others). */
export function auditPolicy(
  schema: PolicySchema,
  policy: Policy,
  base: Identity = identify(schema, policy),
): AuditFinding[] {
  const found: AuditFinding[] = [];
  let fixed: Record<string, unknown> | undefined;
  for (const d of schema.deprecatedProperties) {
    const finding = deprecatedPropertyFinding(schema, policy, d, base);
    if (finding === null) continue;
    found.push(finding);
    if (finding.patch !== undefined) fixed = { ...(fixed ?? policy), ...finding.patch };
  }
  for (const d of schema.deprecatedValues) {
    const field = d.field as string;
    if (policy[field] !== d.value) continue;
    const forbidden = d.forbiddenOnWrite;
    found.push({
      ...base,
      kind: forbidden ? `${slug(String(d.value))}-${slug(field)}` : 'deprecated-value',
      severity: 'warn',
      fields: [field],
      message: forbidden
        ? `${field} is ${String(d.value)}, which the spec deprecates and forbids in writes: the policy cannot be written back with it; recreate it with a supported ${field} and delete this one.`
        : `${field} is ${String(d.value)}, which the spec deprecates${d.endOfLife ? ` (end of life ${d.endOfLife})` : ''}.`,
    });
  }
  for (const finding of ruleFindings(schema, fixed ?? policy, base)) found.push(finding);
  return found;
}

interface Identity {
  readonly policyId: string;
  readonly pattern: string | null;
  readonly patternType: string | null;
}

function identify(schema: PolicySchema, policy: Policy): Identity {
  const { rules } = schema;
  const text = (value: unknown) => (typeof value === 'string' ? value : null);
  return {
    policyId: String(policy[rules.id]),
    pattern: text(policy[rules.pattern]),
    patternType: text(policy[rules.patternType]),
  };
}

function isSet(value: unknown): boolean {
  return value !== undefined && value !== null && value !== false;
}

function deprecatedPropertyFinding(
  schema: PolicySchema,
  policy: Policy,
  d: DeprecationMetadata,
  base: Identity,
): AuditFinding | null {
  const field = d.field as string;
  const value = policy[field];
  if (!isSet(value)) return null;
  const replacement = d.replacement;
  const eol = d.endOfLife ? `, end of life ${d.endOfLife}` : '';
  if (replacement === null || schema.writable[replacement] === undefined) {
    return {
      ...base,
      kind: 'deprecated-field',
      severity: 'warn',
      fields: [field],
      message: `${field} is set (${JSON.stringify(value)}) but deprecated${eol}, and the spec names no writable replacement: decide by hand what this policy should do.`,
    };
  }
  const current = policy[replacement];
  const absent = current === undefined || current === null;
  if (absent || (typeof value === 'boolean' && current === false)) {
    return {
      ...base,
      kind: 'deprecated-only',
      severity: 'fix',
      fields: [field, replacement],
      message: `${field} is ${JSON.stringify(value)} but ${replacement} is ${absent ? 'absent' : JSON.stringify(current)}; ${field} is deprecated${eol}, so the API may no longer honour it. Fix: set ${replacement} to ${JSON.stringify(value)}.`,
      patch: { [replacement]: value },
      // The deprecated field too: an owner who turns it off meanwhile has changed the policy.
      before: absent ? { [field]: value } : { [field]: value, [replacement]: current },
      descriptions: { [replacement]: d.replacementDescription ?? null },
    };
  }
  if (JSON.stringify(current) === JSON.stringify(value)) return null;
  return {
    ...base,
    kind: 'deprecated-conflict',
    severity: 'warn',
    fields: [field, replacement],
    message: `${field} is ${JSON.stringify(value)} and ${replacement} is ${JSON.stringify(current)}: ${field} is deprecated${eol}; decide which one the policy means.`,
  };
}

/** Trust, domain-wide trust and regex, on the policy as it will be once fixed. */
function ruleFindings(schema: PolicySchema, policy: Policy, base: Identity): AuditFinding[] {
  const { rules } = schema;
  const found: AuditFinding[] = [];
  const trusted = rules.trustFlags.filter((flag) => policy[flag] === true);
  if (trusted.length > 0 && policy[rules.verificationFlag] !== true) {
    found.push({
      ...base,
      kind: 'unverified-trust',
      severity: 'warn',
      fields: [...trusted, rules.verificationFlag],
      message: `${trusted.join(' and ')} without ${rules.verificationFlag}: anyone who forges this ${base.patternType ?? 'pattern'} gets the trust; turn on ${rules.verificationFlag} unless the sender cannot authenticate.`,
    });
  }
  if (trusted.length > 0 && rules.domainWidePatternTypes.includes(String(base.patternType))) {
    found.push({
      ...base,
      kind: 'domain-wide-trust',
      severity: 'warn',
      fields: [...trusted, rules.patternType],
      message: `${trusted.join(' and ')} for the whole ${base.patternType} ${base.pattern ?? ''}: every address of it is trusted; narrow it to the senders that need it.`,
    });
  }
  if (policy[rules.regexFlag] === true) {
    found.push({
      ...base,
      kind: 'regex',
      severity: 'info',
      fields: [rules.pattern, rules.regexFlag],
      message: `the pattern is a regular expression: check that it is anchored and matches only what is meant.`,
    });
  }
  return found;
}

/**
 * Duplicates in two passes over the list, so memory does not hold the policies: the first keeps
 * one 53-bit hash per distinct pattern and type (a number, not the text) and notes the hashes seen
 * twice; the second, only when there are such candidates, collects the policies whose hash is one
 * of them and compares their exact pattern and type (a hash collision reports nothing). Every
 * member of a group reports the others.
 */
class DuplicateIndex {
  readonly #seen = new Set<number>();
  readonly #repeated = new Set<number>();
  readonly #groups = new Map<string, Identity[]>();
  constructor(private readonly schema: PolicySchema) {}

  get candidates(): number {
    return this.#repeated.size;
  }

  add(base: Identity): void {
    if (base.pattern === null) return;
    const hash = keyHash(base);
    if (this.#seen.has(hash)) this.#repeated.add(hash);
    else this.#seen.add(hash);
  }

  collect(base: Identity): void {
    if (base.pattern === null || !this.#repeated.has(keyHash(base))) return;
    const key = `${base.patternType ?? ''}\u0000${base.pattern}`;
    const group = this.#groups.get(key);
    if (group === undefined) this.#groups.set(key, [base]);
    else if (!group.some((member) => member.policyId === base.policyId)) group.push(base);
  }

  findings(): AuditFinding[] {
    const { rules } = this.schema;
    const found: AuditFinding[] = [];
    for (const group of this.#groups.values()) {
      if (group.length < 2) continue;
      for (const member of group) {
        const others = group.filter((other) => other !== member).map((other) => other.policyId);
        const shown =
          others.length > 3
            ? `${others.slice(0, 3).join(', ')} and ${others.length - 3} more`
            : others.join(', ');
        found.push({
          ...member,
          kind: 'duplicate',
          severity: 'warn',
          fields: [rules.pattern, rules.patternType],
          message: `the same ${rules.pattern} and ${rules.patternType} as ${others.length === 1 ? 'policy' : 'policies'} ${shown}: keep one (their settings may disagree).`,
        });
      }
    }
    return found;
  }
}

/** Two 32-bit FNV-1a hashes of the pattern type and pattern, as one 53-bit number. */
function keyHash(base: Identity): number {
  const text = `${base.patternType ?? ''}\u0000${base.pattern ?? ''}`;
  let a = 0x811c9dc5;
  let b = 0x01000193;
  for (let index = 0; index < text.length; index += 1) {
    const code = text.charCodeAt(index);
    a = Math.imul(a ^ code, 0x01000193);
    b = Math.imul(b ^ code, 0x5bd1e995) ^ (b >>> 15);
  }
  return (a >>> 0) * 0x200000 + ((b >>> 0) & 0x1fffff);
}

function slug(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}

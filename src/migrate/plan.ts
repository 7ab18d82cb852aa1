/**
 * `planMigration`: the audit's `fix` findings as one reviewable, JSON-serialisable plan (one item
 * per policy, its patches merged), and the findings that need a person listed apart. Pure.
 */
import type { AuditFinding, AuditReport } from './audit.js';
import { MigrationError } from './errors.js';
import { policySchema, type SpecIdentity } from './rules.js';

export const PLAN_FORMAT = 'cfes-allow-policy-migration-plan/1';

/** One field the plan sets, and what the spec says it does. */
export interface PlannedChange {
  readonly field: string;
  readonly value: unknown;
  /** The deprecated field it takes over from. */
  readonly replaces: string;
  /** The spec's description of `field`: the trust it grants. */
  readonly description: string | null;
}

export interface PlanItem {
  readonly policyId: string;
  readonly pattern: string | null;
  readonly patternType: string | null;
  /**
   * The fields the patch touches and the deprecated ones it replaces, as read (a field of `patch`
   * missing here was absent). Apply writes only while the policy still has exactly these.
   */
  readonly before: Readonly<Record<string, unknown>>;
  readonly patch: Readonly<Record<string, unknown>>;
  readonly changes: readonly PlannedChange[];
}

export interface MigrationPlan {
  readonly format: typeof PLAN_FORMAT;
  readonly accountId: string;
  /** When the plan was made, and when the audit it comes from read the policies. */
  readonly createdAt: string;
  readonly auditedAt: string;
  readonly spec: SpecIdentity;
  readonly items: readonly PlanItem[];
  /** Findings no tool should fix: a person decides. */
  readonly needsReview: readonly AuditFinding[];
}

export function planMigration(
  report: AuditReport,
  options: { readonly now?: () => Date } = {},
): MigrationPlan {
  const byPolicy = new Map<string, DraftItem>();
  for (const finding of report.findings) {
    if (finding.severity !== 'fix' || finding.patch === undefined) continue;
    let item = byPolicy.get(finding.policyId);
    if (item === undefined) {
      item = {
        policyId: finding.policyId,
        pattern: finding.pattern,
        patternType: finding.patternType,
        before: {},
        patch: {},
        changes: [],
      };
      byPolicy.set(finding.policyId, item);
    }
    Object.assign(item.before, finding.before);
    Object.assign(item.patch, finding.patch);
    for (const [field, value] of Object.entries(finding.patch)) {
      item.changes.push({
        field,
        value,
        replaces: finding.fields[0] ?? field,
        description: finding.descriptions?.[field] ?? null,
      });
    }
  }
  return {
    format: PLAN_FORMAT,
    accountId: report.accountId,
    createdAt: (options.now?.() ?? new Date()).toISOString(),
    auditedAt: report.auditedAt,
    spec: report.spec,
    items: [...byPolicy.values()],
    needsReview: report.findings.filter((finding) => finding.severity !== 'fix'),
  };
}

interface DraftItem extends PlanItem {
  readonly before: Record<string, unknown>;
  readonly patch: Record<string, unknown>;
  readonly changes: PlannedChange[];
}

/**
 * A plan read from a file, checked before anything is sent: its format, the spec it was made
 * with (the package's own), and every item's shape. Throws a `MigrationError` naming the problem.
 */
export function checkPlan(value: unknown, source = 'the plan'): MigrationPlan {
  const spec = policySchema().spec;
  const problems: string[] = [];
  const plan = value as Partial<MigrationPlan> | null;
  if (typeof plan !== 'object' || plan === null || Array.isArray(plan)) {
    throw new MigrationError(`${source} is not a migration plan (expected a JSON object).`);
  }
  if (plan.format !== PLAN_FORMAT) {
    problems.push(`format is ${JSON.stringify(plan.format)}, expected "${PLAN_FORMAT}"`);
  }
  if (typeof plan.accountId !== 'string' || plan.accountId === '') problems.push('no accountId');
  if (plan.spec?.sha256 !== spec.sha256) {
    problems.push(
      `it was made with the spec sha256 ${String(plan.spec?.sha256).slice(0, 12)}…, this package has ${spec.sha256.slice(0, 12)}… (field meanings may differ): make a new plan`,
    );
  }
  if (!Array.isArray(plan.items)) problems.push('no items array');
  else {
    const seen = new Set<string>();
    plan.items.forEach((item, index) => {
      const at = `items[${index}]`;
      if (typeof item?.policyId !== 'string' || item.policyId === '') {
        problems.push(`${at} has no policyId`);
      } else if (seen.has(item.policyId)) problems.push(`${at} repeats policy ${item.policyId}`);
      else seen.add(item.policyId);
      if (!isRecord(item?.patch) || Object.keys(item.patch).length === 0) {
        problems.push(`${at} has no patch`);
      }
      if (!isRecord(item?.before)) problems.push(`${at} has no before`);
    });
  }
  if (problems.length > 0) {
    throw new MigrationError(`${source} cannot be applied: ${problems.slice(0, 5).join('; ')}.`);
  }
  return plan as MigrationPlan;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

import type { AuditRules } from '../src/migrate/rules.js';

/**
 * The allow-policy audit's judgments that the spec cannot state by itself: which fields grant
 * trust, which flag verifies the sender, which pattern type covers a whole domain, and which
 * fields identify a policy and carry patches in a batch. This is the ONE place that names these
 * spec fields for the audit (src/ names none); everything the spec does say is read from the
 * generated metadata instead: which fields are deprecated and what replaces them, which enum
 * values can no longer be written (`pattern_type: UNKNOWN`), the page size, the batch's arrays.
 *
 * At every audit, apply and restore these names are checked against the generated metadata
 * (src/migrate/rules.ts): a field the spec renamed or removed is an error naming this file,
 * never a rule that silently matches nothing.
 */
export const allowPolicyAuditRules = {
  /** The policy's identifier in list items (a read-only property of the policy). */
  id: 'id',
  /** The matched pattern and its type; a pattern and type seen twice is a `duplicate`. */
  pattern: 'pattern',
  patternType: 'pattern_type',
  /** A `regex` finding: the pattern is a regular expression (review its anchoring). */
  regexFlag: 'is_regex',
  /**
   * Flags that bypass detections for the matched sender or recipient. Without `verificationFlag`
   * they are `unverified-trust`; for a pattern type in `domainWidePatternTypes`, `domain-wide-trust`.
   * (`is_acceptable_sender` only exempts from Spam, Spoof and Bulk, so it is not listed.)
   */
  trustFlags: ['is_trusted_sender', 'is_exempt_recipient'],
  /** Enforces DMARC, SPF or DKIM before the policy is honoured. */
  verificationFlag: 'verify_sender',
  domainWidePatternTypes: ['DOMAIN'],
  /** The batch body's array of `{ id, ...patch }` items (the others are sent empty). */
  batchPatches: 'patches',
} as const satisfies AuditRules;

import { isRecord } from '../codegen/refs.js';
import type { OperationPairing } from './operation-diff.js';
import {
  type JsonObject,
  listOperations,
  objectAt,
  operationLabel,
  stringsAt,
} from './operations.js';
import type { Change, JsonValue, SecurityChangeKind } from './report.js';

type SecurityChange = Change<SecurityChangeKind>;

const NO_AUTHENTICATION = '(no authentication)';

/**
 * Security requirement alternatives of an operation (its own `security`, else the root one),
 * each written `api_email + api_key` (schemes of one alternative are sent together).
 */
export function securityAlternatives(document: JsonValue, operation: JsonObject): string[] {
  const own = operation.security;
  const requirements = Array.isArray(own)
    ? own
    : isRecord(document)
      ? document.security
      : undefined;
  if (!Array.isArray(requirements) || requirements.length === 0) return [NO_AUTHENTICATION];
  const objects: Record<string, unknown>[] = (requirements as unknown[]).filter(isRecord);
  return objects.map((requirement) => {
    const schemes = Object.entries(requirement).map(([name, scopes]) =>
      Array.isArray(scopes) && scopes.length > 0 ? `${name}[${scopes.join(', ')}]` : name,
    );
    return schemes.length === 0 ? NO_AUTHENTICATION : schemes.sort().join(' + ');
  });
}

/** Security requirement and permission-group (`x-api-token-group`) changes, and scheme changes. */
export function diffSecurity(
  pairing: OperationPairing,
  before: JsonValue,
  after: JsonValue,
): SecurityChange[] {
  const changes: SecurityChange[] = [];
  for (const pair of [...pairing.common, ...pairing.moved]) {
    const location = operationLabel(pair.after.method, pair.after.path);
    const from = securityAlternatives(before, pair.before.operation);
    const to = securityAlternatives(after, pair.after.operation);
    changes.push(...listDiff(from, to, location, alternativeChange));
    const groupsBefore = stringsAt(pair.before.operation, 'x-api-token-group');
    const groupsAfter = stringsAt(pair.after.operation, 'x-api-token-group');
    changes.push(...listDiff(groupsBefore, groupsAfter, location, groupChange));
  }
  changes.push(...schemeChanges(before, after));
  return changes;
}

function listDiff(
  from: readonly string[],
  to: readonly string[],
  location: string,
  make: (value: string, added: boolean, location: string) => SecurityChange,
): SecurityChange[] {
  return [
    ...from.filter((value) => !to.includes(value)).map((value) => make(value, false, location)),
    ...to.filter((value) => !from.includes(value)).map((value) => make(value, true, location)),
  ];
}

function alternativeChange(alternative: string, added: boolean, location: string): SecurityChange {
  return added
    ? {
        kind: 'security-alternative-added',
        severity: 'info',
        location,
        message: `callers may now authenticate with ${alternative}`,
        after: alternative,
      }
    : {
        kind: 'security-alternative-removed',
        severity: 'breaking',
        location,
        message: `callers can no longer authenticate with ${alternative}`,
        before: alternative,
      };
}

function groupChange(group: string, added: boolean, location: string): SecurityChange {
  return added
    ? {
        kind: 'permission-group-added',
        severity: 'info',
        location,
        message: `API tokens with the "${group}" permission group may now call it`,
        after: group,
      }
    : {
        kind: 'permission-group-removed',
        severity: 'breaking',
        location,
        message: `API tokens with only the "${group}" permission group can no longer call it`,
        before: group,
      };
}

function schemeChanges(before: JsonValue, after: JsonValue): SecurityChange[] {
  const from = objectAt(objectAt(before, 'components'), 'securitySchemes');
  const to = objectAt(objectAt(after, 'components'), 'securitySchemes');
  const usedBefore = usedSchemes(before);
  const changes: SecurityChange[] = [];
  for (const [name, scheme] of Object.entries(from)) {
    const next = to[name];
    if (next === undefined) {
      const used = usedBefore.has(name);
      changes.push({
        kind: 'security-scheme-removed',
        severity: used ? 'breaking' : 'info',
        location: `security scheme ${name}`,
        message: `security scheme removed${used ? ' (operations used it)' : ''}`,
      });
    } else if (wireShape(scheme) !== wireShape(next)) {
      changes.push({
        kind: 'security-scheme-changed',
        severity: 'breaking',
        location: `security scheme ${name}`,
        message: `security scheme changed from ${wireShape(scheme)} to ${wireShape(next)}`,
        before: wireShape(scheme),
        after: wireShape(next),
      });
    }
  }
  for (const name of Object.keys(to)) {
    if (from[name] !== undefined) continue;
    changes.push({
      kind: 'security-scheme-added',
      severity: 'info',
      location: `security scheme ${name}`,
      message: `security scheme added (${wireShape(to[name] as JsonValue)})`,
    });
  }
  return changes;
}

/** What a scheme puts on the wire (`http bearer`, `apiKey header X-Auth-Key`); the description is ignored. */
function wireShape(scheme: JsonValue): string {
  if (!isRecord(scheme)) return 'invalid';
  const { description: _description, ...rest } = scheme;
  const sorted = Object.keys(rest)
    .sort()
    .map((key) => `${key}=${JSON.stringify(rest[key])}`);
  return sorted.join(', ');
}

function usedSchemes(document: JsonValue): Set<string> {
  const used = new Set<string>();
  for (const { operation } of listOperations(document)) {
    for (const alternative of securityAlternatives(document, operation)) {
      for (const scheme of alternative.split(' + ')) used.add(scheme.replace(/\[.*$/, ''));
    }
  }
  return used;
}

import type {
  OperationMetadata,
  ParameterMetadata,
  ResourceMethodMetadata,
} from '../../src/metadata.js';
import { CodegenError } from './errors.js';
import { safeName, withoutPrefix, wordsOf } from './names.js';

/**
 * Where an operation lands on the client: `client.<resource>.<method>(...positional, input?, options?)`.
 *
 * - resource: the path segment after `settings/`, camelCased (`allow_policies` → `allowPolicies`);
 *   for paths without a `settings/` segment (other products), the last static segment, or the one
 *   before it when the last one is the method's own verb (`…/dns_records/batch` → `dnsRecords`);
 * - method: the operationId's verb (`email_security_update_allow_policy` → `update`): its first
 *   word after the prefix when that is a known verb, else the first known verb among its words
 *   (`dns-records-for-a-zone-list-dns-records` → `list`), else its first word (`replace`, …);
 * - positional: the path parameters the client does not fill itself (all but `account_id`), in
 *   path order;
 * - input: the body when there is one, else the query when there are query parameters, else none.
 */

/** Path parameters the client fills from its options, never positional. */
export const CLIENT_PATH_PARAMETERS: readonly string[] = ['account_id'];

/** Members of the client object and of each method that a resource or method must not replace. */
export const CLIENT_MEMBERS: readonly string[] = [
  'accountId',
  'baseUrl',
  'call',
  'constructor',
  'operations',
  'then',
  'toJSON',
];
const RESOURCE_MEMBERS: readonly string[] = ['constructor', 'then'];

/** Verbs recognised anywhere in an operationId (the first word is taken even when it is not listed). */
export const KNOWN_VERBS: readonly string[] = [
  'batch',
  'create',
  'delete',
  'edit',
  'export',
  'get',
  'import',
  'list',
  'move',
  'patch',
  'put',
  'replace',
  'reset',
  'search',
  'update',
  'upsert',
];

/** The names the emitted signature uses besides the positional parameters. */
const SIGNATURE_NAMES = ['body', 'patch', 'query', 'options'];

export interface PlannedResource {
  readonly resource: ResourceMethodMetadata;
  /** Parameter names of the emitted signature, one per `resource.positional` entry (`policy_id` → `policyId`). */
  readonly argumentNames: readonly string[];
  /** Names that had to be changed to be valid and safe. */
  readonly notes: readonly string[];
}

/** The resource method of one operation (the parts of `metadata` it reads are already planned). */
export function planResource(
  metadata: Pick<OperationMetadata, 'operationId' | 'method' | 'path' | 'parameters'> & {
    readonly requestBody: unknown;
  },
  prefix: string,
): PlannedResource {
  const method = methodNameFor(metadata.operationId, prefix);
  const resource = safeName(resourceSegment(metadata, method.name), {
    role: 'resource name',
    fallback: 'resource',
    taken: CLIENT_MEMBERS,
    allowReserved: true,
  });
  const positional = metadata.parameters
    .filter((p) => p.in === 'path' && !CLIENT_PATH_PARAMETERS.includes(p.name))
    .map((p) => p.name);
  const argumentNames: string[] = [];
  const notes = [resource.note, method.note];
  for (const name of positional) {
    const argument = safeName(name, {
      role: 'parameter name',
      fallback: 'id',
      taken: [...SIGNATURE_NAMES, ...argumentNames],
    });
    argumentNames.push(argument.name);
    notes.push(argument.note);
  }
  const hasQuery = metadata.parameters.some((p: ParameterMetadata) => p.in === 'query');
  const input = metadata.requestBody ? 'body' : hasQuery ? 'query' : null;
  if (input === 'body' && hasQuery) {
    notes.push(
      `${metadata.operationId} has a body and query parameters: its resource method takes the body; pass the query with client.call`,
    );
  }
  return {
    resource: { name: resource.name, method: method.name, positional, input },
    argumentNames,
    notes: notes.filter((note): note is string => note !== null),
  };
}

/** The operationId's verb, as a safe property name (`delete` is fine as a property). */
export function methodNameFor(operationId: string, prefix: string) {
  const words = wordsOf(withoutPrefix(operationId, prefix));
  const verb =
    words[0] !== undefined && KNOWN_VERBS.includes(words[0])
      ? words[0]
      : (words.find((word) => KNOWN_VERBS.includes(word)) ?? words[0] ?? '');
  return safeName(verb, {
    role: 'method name',
    fallback: 'call',
    taken: RESOURCE_MEMBERS,
    allowReserved: true,
  });
}

function resourceSegment(
  metadata: Pick<OperationMetadata, 'operationId' | 'method' | 'path'>,
  verb: string,
): string {
  const segments = metadata.path.split('/').filter(Boolean);
  const settings = segments.indexOf('settings');
  const afterSettings = settings >= 0 ? segments[settings + 1] : undefined;
  if (afterSettings !== undefined && !isParameter(afterSettings)) return afterSettings;
  const fixed = segments.filter((segment) => !isParameter(segment));
  const last = fixed.at(-1);
  const chosen =
    last !== undefined && wordsOf(last).join('') === verb && fixed.length > 1 ? fixed.at(-2) : last;
  if (chosen === undefined) {
    throw new CodegenError(
      `Operation "${metadata.operationId}" (${metadata.method.toUpperCase()} ${metadata.path}) has no static path segment to name its resource after.`,
      {
        hint: 'Remove it from openapi/codegen.config.ts, or call it by operationId only after fixing the spec.',
      },
    );
  }
  return chosen;
}

function isParameter(segment: string): boolean {
  return segment.startsWith('{') && segment.endsWith('}');
}

/** Two operations on the same `resource.method` would overwrite each other: refuse, naming both. */
export function assertUniqueResourceMethods(
  operations: readonly Pick<OperationMetadata, 'operationId' | 'resource'>[],
): void {
  const seen = new Map<string, string>();
  for (const { operationId, resource } of operations) {
    if (!resource) continue;
    const key = `${resource.name}.${resource.method}`;
    const other = seen.get(key);
    if (other !== undefined) {
      throw new CodegenError(
        `operationIds "${other}" and "${operationId}" both map to the resource method client.${key}.`,
        {
          hint: 'Wrap only one of them in openapi/codegen.config.ts, or rename one of the operationIds in the spec.',
        },
      );
    }
    seen.set(key, operationId);
  }
}

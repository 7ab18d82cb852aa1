/**
 * Names in emitted code: the resource-method rule over every operation of the vendored spec,
 * safe names for reserved words and invalid identifiers (output that type-checks), and
 * collisions refused.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { CodegenError } from '../../scripts/codegen/errors.js';
import { loadDocument } from '../../scripts/codegen/load.js';
import { functionNameFor, safeName } from '../../scripts/codegen/names.js';
import { locateOperations } from '../../scripts/codegen/operations.js';
import { runGenerate } from '../../scripts/codegen/pipeline.js';
import { planOperations } from '../../scripts/codegen/plan.js';
import { methodNameFor, planResource } from '../../scripts/codegen/resources.js';
import { formatSummary } from '../../scripts/codegen/summary.js';
import { type OpenApiDocument, validateDocument } from '../../scripts/codegen/validate.js';
import { typecheckIn } from '../support/tsc.js';
import { ROOT, repoTempDir, SPEC_PATH, specCopy } from './helpers.js';

const document: OpenApiDocument = validateDocument(
  (await loadDocument(SPEC_PATH)).document,
  SPEC_PATH,
);
const PREFIX = 'email_security_';

/** The path segment after `settings/` → the client's resource (issue 11). */
const RESOURCE_OF_SEGMENT: Record<string, string> = {
  allow_policies: 'allowPolicies',
  block_senders: 'blockSenders',
  domains: 'domains',
  impersonation_registry: 'impersonationRegistry',
  sending_domain_restrictions: 'sendingDomainRestrictions',
  trusted_domains: 'trustedDomains',
};
/** The operationId's verb → the method. */
const METHOD_OF_VERB: Record<string, string> = {
  batch: 'batch',
  create: 'create',
  delete: 'delete',
  get: 'get',
  list: 'list',
  update: 'update',
};

describe('resource methods of every operation in the vendored spec', () => {
  const operations = locateOperations(document);
  const plans = planOperations(
    document,
    operations.map((entry) => entry.operationId),
  ).operations;

  test('the spec has the operations this table covers', () => {
    expect(operations.length).toBeGreaterThanOrEqual(33);
  });

  test.each(operations.map((entry) => [entry.operationId, entry] as const))(
    '%s',
    (operationId, entry) => {
      const segment = entry.path.split('/settings/')[1]?.split('/')[0] ?? '';
      const verb = operationId.slice(PREFIX.length).split('_')[0] ?? '';
      expect(RESOURCE_OF_SEGMENT, `new resource segment "${segment}"`).toHaveProperty([segment]);
      expect(METHOD_OF_VERB, `new verb "${verb}"`).toHaveProperty([verb]);
      const plan = plans.find((candidate) => candidate.metadata.operationId === operationId);
      const pathParameters = [...entry.path.matchAll(/\{([^}]+)\}/g)].map((match) => match[1]);
      const hasQuery = plan?.metadata.parameters.some((parameter) => parameter.in === 'query');
      expect(plan?.metadata.resource).toEqual({
        name: RESOURCE_OF_SEGMENT[segment],
        method: METHOD_OF_VERB[verb],
        positional: pathParameters.filter((name) => name !== 'account_id'),
        input: plan?.metadata.requestBody ? 'body' : hasQuery ? 'query' : null,
      });
      expect(plan?.notes).toEqual([]);
    },
  );

  test('no two operations share a resource method; GET and DELETE never take a body', () => {
    const keys = plans.map(
      ({ metadata }) => `${metadata.resource?.name}.${metadata.resource?.method}`,
    );
    expect(new Set(keys).size).toBe(plans.length);
    for (const { metadata } of plans) {
      if (metadata.method === 'get' || metadata.method === 'delete')
        expect(metadata.resource?.input).not.toBe('body');
    }
  });
});

describe('safe names', () => {
  test.each([
    // operationId, prefix, function name, note contains
    ['email_security_update_allow_policy', PREFIX, 'updateAllowPolicy', null],
    ['email_security_list_allow_policies', PREFIX, 'listAllowPolicies', null],
    ['getThingById', PREFIX, 'getThingById', null],
    ['zones-get', '', 'zonesGet', null],
    ['email_security_', PREFIX, 'emailSecurity', null],
    ['email_security_delete', PREFIX, 'delete_', '"delete" is a reserved word'],
    ['class', '', 'class_', '"class" is a reserved word'],
    ['my-op-2', '', 'myOp2', null],
    ['2fa_enable', '', 'op2faEnable', 'cannot start with a digit'],
    ['paths', '', 'paths_', '"paths" is already used there'],
    ['operationRegistry', '', 'operationRegistry_', 'already used'],
    ['--', '', 'operation', 'no letters or digits'],
  ])('functionNameFor(%s, %s) = %s', (operationId, prefix, name, note) => {
    const safe = functionNameFor(operationId, prefix);
    expect(safe.name).toBe(name);
    if (note === null) expect(safe.note).toBeNull();
    else expect(safe.note).toContain(note);
  });

  test.each([
    ['email_security_replace_allow_policy', PREFIX, 'replace'],
    ['email_security_delete_allow_policy', PREFIX, 'delete'],
    ['dns-records-for-a-zone-list-dns-records', '', 'list'],
    ['frobnicate_widgets', '', 'frobnicate'],
    ['then_resolve', '', 'then_'],
    ['3d_render', '', 'op3d'],
  ])('methodNameFor(%s, %s) = %s', (operationId, prefix, method) => {
    expect(methodNameFor(operationId, prefix).name).toBe(method);
  });

  const parameter = (name: string) => ({
    name,
    in: 'path' as const,
    required: true,
    rule: { type: 'string' as const },
    deprecated: false,
  });
  test.each([
    ['/zones/{zone_id}/dns_records/{dns_record_id}', 'get_dns_record', 'dnsRecords'],
    ['/zones/{zone_id}/dns_records/batch', 'batch_dns_records', 'dnsRecords'],
    ['/accounts/{account_id}/email-security/settings/operations', 'list_operations', 'operations_'],
    ['/accounts/{account_id}/email-security/settings/call/{id}', 'get_call', 'call_'],
    ['/v1/2fa-devices/{device_id}', 'list_devices', 'op2faDevices'],
  ])('resource of %s (%s) = %s', (path, operationId, name) => {
    const params = [...path.matchAll(/\{([^}]+)\}/g)].map((match) => parameter(match[1] ?? ''));
    const planned = planResource(
      { operationId, method: 'get', path, parameters: params, requestBody: null },
      '',
    );
    expect(planned.resource.name).toBe(name);
  });

  test('positional parameter names are identifiers that do not clash with the signature', () => {
    const planned = planResource(
      {
        operationId: 'get_thing',
        method: 'get',
        path: '/things/{class}/{options}/{policy-id}/{1st}',
        parameters: ['class', 'options', 'policy-id', '1st'].map(parameter),
        requestBody: null,
      },
      '',
    );
    expect(planned.resource.positional).toEqual(['class', 'options', 'policy-id', '1st']);
    expect(planned.argumentNames).toEqual(['class_', 'options_', 'policyId', 'op1st']);
    expect(planned.notes).toHaveLength(3);
  });

  test('a path with no static segment is refused clearly', () => {
    expect(() =>
      planResource(
        {
          operationId: 'get_any',
          method: 'get',
          path: '/{id}',
          parameters: [parameter('id')],
          requestBody: null,
        },
        '',
      ),
    ).toThrow(/"get_any" \(GET \/\{id\}\) has no static path segment to name its resource after/);
  });

  test('safeName keeps reserved words as property names', () => {
    expect(
      safeName('delete', { role: 'method name', fallback: 'call', allowReserved: true }),
    ).toEqual({ name: 'delete', note: null });
  });
});

/** The vendored spec plus operations whose names are hostile to emitted code. */
async function hostileNamesSpec(): Promise<Record<string, unknown>> {
  const spec = await specCopy();
  const paths = spec.paths as Record<string, Record<string, Record<string, unknown>>>;
  const item = paths['/accounts/{account_id}/email-security/settings/allow_policies/{policy_id}'];
  const [accountParameter] = (item?.parameters ?? []) as unknown as unknown[];
  const get = item?.get as Record<string, unknown>;
  const uuid = { type: 'string', format: 'uuid' };
  paths['/accounts/{account_id}/email-security/settings/class-rooms/{class}'] = {
    parameters: [accountParameter, { name: 'class', in: 'path', required: true, schema: uuid }],
    get: { ...get, operationId: 'class' },
    delete: { ...get, operationId: 'delete' },
  } as never;
  paths['/accounts/{account_id}/email-security/settings/2fa_things/{default}'] = {
    parameters: [
      accountParameter,
      { name: 'default', in: 'path', required: true, schema: { type: 'string' } },
    ],
    get: { ...get, operationId: 'my-op-2' },
  } as never;
  paths['/accounts/{account_id}/email-security/settings/2fa_things'] = {
    parameters: [accountParameter],
    get: { ...get, operationId: '9lives' },
  } as never;
  return spec;
}

describe('reserved words and invalid identifiers in a spec', () => {
  test('generate safe names, say so in the plan notes, and emit code that type-checks', async () => {
    const dir = await repoTempDir('names');
    const specPath = join(dir, 'spec.json');
    await writeFile(specPath, JSON.stringify(await hostileNamesSpec()));
    const summary = await runGenerate({
      specPath,
      outDir: join(dir, 'generated'),
      operations: ['class', 'delete', 'my-op-2', '9lives', 'email_security_update_allow_policy'],
      operationIdPrefix: '',
      rootDir: ROOT,
      useCache: false,
    });
    expect(summary.plan?.operations.map((plan) => plan.metadata.functionName)).toEqual([
      'class_',
      'delete_',
      'emailSecurityUpdateAllowPolicy',
      'myOp2',
      'op9lives',
    ]);
    expect(summary.plan?.notes).toEqual([
      'function name for "class" is "class_" ("class" is a reserved word)',
      'parameter name for "class" is "class_" ("class" is a reserved word)',
      'function name for "delete" is "delete_" ("delete" is a reserved word)',
      'resource name for "2fa_things" is "op2faThings" (an identifier cannot start with a digit)',
      'parameter name for "default" is "default_" ("default" is a reserved word)',
      'function name for "9lives" is "op9lives" (an identifier cannot start with a digit)',
      'method name for "9lives" is "op9lives" (an identifier cannot start with a digit)',
    ]);
    expect(formatSummary(summary)).toContainEqual(
      expect.stringMatching(/^safe names \(7\): function name for "class" is "class_" /),
    );
    const resources = summary.plan?.operations.map((plan) => plan.metadata.resource);
    expect(resources?.map((resource) => `${resource?.name}.${resource?.method}`)).toEqual([
      'classRooms.class',
      'classRooms.delete',
      'allowPolicies.update',
      'op2faThings.my',
      'op2faThings.op9lives',
    ]);
    await writeFile(
      join(dir, 'usage.ts'),
      `import type { Resources } from './generated/operations.js';
import { class_, delete_, myOp2 } from './generated/operations.js';
declare const cf: Resources;
export async function use(id: string) {
  await cf.classRooms.delete(id);
  await cf.classRooms.class('f174e90a-fafe-4643-bbbc-4a0ed4fc8415', { timeoutMs: 5 });
  // @ts-expect-error a literal that is not shaped like a UUID
  await cf.classRooms.delete('not-a-uuid');
  await cf.op2faThings.my('any string id');
  await cf.op2faThings.op9lives();
  return [class_, delete_, myOp2];
}
`,
    );
    const result = await typecheckIn(dir, ['generated', 'usage.ts']);
    expect(result.output).toBe('');
    expect(result.ok).toBe(true);
  }, 90_000);
});

describe('collisions', () => {
  test('two operations on the same resource method are refused, naming both', async () => {
    const spec = await specCopy();
    const paths = spec.paths as Record<string, Record<string, unknown>>;
    const item = paths['/accounts/{account_id}/email-security/settings/allow_policies/{policy_id}'];
    paths['/accounts/{account_id}/email-security/settings/allow_policies/{policy_id}/v2'] = {
      parameters: item?.parameters,
      patch: { ...(item?.patch as object), operationId: 'email_security_update_allow_policy_v2' },
    };
    const doc = validateDocument(spec, 'spec.json');
    const plan = () =>
      planOperations(doc, [
        'email_security_update_allow_policy',
        'email_security_update_allow_policy_v2',
      ]);
    expect(plan).toThrow(CodegenError);
    expect(plan).toThrow(
      'operationIds "email_security_update_allow_policy" and "email_security_update_allow_policy_v2" both map to the resource method client.allowPolicies.update. Wrap only one of them',
    );
  });
});

import { describe, expect, test } from 'vitest';
import { loadDocument } from '../../scripts/codegen/load.js';
import { locateOperations } from '../../scripts/codegen/operations.js';
import { type OperationPlan, planOperations } from '../../scripts/codegen/plan.js';
import { type OpenApiDocument, validateDocument } from '../../scripts/codegen/validate.js';
import { SPEC_PATH } from './helpers.js';

const document: OpenApiDocument = validateDocument(
  (await loadDocument(SPEC_PATH)).document,
  SPEC_PATH,
);

function planOf(operationId: string): OperationPlan {
  const [plan] = planOperations(document, [operationId]).operations;
  if (!plan) throw new Error(`no plan for ${operationId}`);
  return plan;
}

const BEARER_OR_KEY = [
  [{ name: 'api_token', type: 'http', scheme: 'bearer' }],
  [
    { name: 'api_email', type: 'apiKey', in: 'header', headerName: 'X-Auth-Email' },
    { name: 'api_key', type: 'apiKey', in: 'header', headerName: 'X-Auth-Key' },
  ],
];

describe('plan of email_security_update_allow_policy', () => {
  const plan = planOf('email_security_update_allow_policy');

  test('operation facts', () => {
    expect(plan.metadata).toMatchObject({
      operationId: 'email_security_update_allow_policy',
      functionName: 'updateAllowPolicy',
      method: 'patch',
      path: '/accounts/{account_id}/email-security/settings/allow_policies/{policy_id}',
      summary: 'Update an email allow policy',
      security: BEARER_OR_KEY,
      permissionGroups: ['Cloud Email Security: Write'],
      successStatus: '200',
      responseContentType: 'application/json',
    });
    expect(plan.typeName).toBe('UpdateAllowPolicy');
    expect(plan.resultProperty).toBe('result');
  });

  test('parameters: path params in template order, ids are uuid strings', () => {
    expect(plan.metadata.parameters).toEqual([
      {
        name: 'account_id',
        in: 'path',
        required: true,
        rule: { type: 'string' },
        deprecated: false,
      },
      {
        name: 'policy_id',
        in: 'path',
        required: true,
        rule: { type: 'string', format: 'uuid' },
        deprecated: false,
      },
    ]);
  });

  test('request body: read-only properties are response-only, nothing is required, strict keys', () => {
    const body = plan.metadata.requestBody;
    expect(body).toMatchObject({
      schema: 'email-security_UpdateAllowPolicy',
      contentType: 'application/json',
      required: true,
      requiredProperties: [],
      readOnlyProperties: ['created_at', 'id', 'last_modified', 'modified_at'],
      minProperties: 1,
      additionalProperties: false,
    });
    expect(Object.keys(body?.properties ?? {})).toEqual([
      'comments',
      'is_acceptable_sender',
      'is_exempt_recipient',
      'is_recipient',
      'is_regex',
      'is_sender',
      'is_spoof',
      'is_trusted_sender',
      'pattern',
      'pattern_type',
      'verify_sender',
    ]);
    expect(body?.properties.comments).toEqual({ type: 'string', nullable: true, maxLength: 1024 });
    expect(body?.properties.pattern).toEqual({ type: 'string', minLength: 1, maxLength: 1024 });
    expect(body?.properties.is_sender).toEqual({ type: 'boolean' });
    expect(body?.properties.pattern_type).toEqual({
      type: 'string',
      enum: ['EMAIL', 'DOMAIN', 'IP', 'UNKNOWN'],
      enumForbiddenOnWrite: ['UNKNOWN'],
    });
  });

  test('deprecations of request and response', () => {
    expect(
      plan.metadata.deprecations.map(
        (item) =>
          `${item.field}${item.kind === 'enum-value' ? `=${item.value}` : ''}:${item.appliesTo}`,
      ),
    ).toEqual([
      'is_recipient:both',
      'is_sender:both',
      'is_spoof:both',
      'last_modified:response',
      'pattern_type=UNKNOWN:both',
    ]);
    expect(
      plan.bodyProperties.find((property) => property.name === 'is_sender')?.deprecation,
    ).toMatchObject({
      replacement: 'is_trusted_sender',
      deprecatedSince: '2025-07-01',
      endOfLife: '2026-07-01',
    });
  });

  test('is JSON-serialisable (round-trips unchanged)', () => {
    const full = planOperations(document, [
      'email_security_update_allow_policy',
      'email_security_list_allow_policies',
    ]);
    expect(JSON.parse(JSON.stringify(full))).toEqual(full);
  });
});

describe('plans of other operations (given/want)', () => {
  const cases: { given: string; want: Record<string, unknown> }[] = [
    {
      given: 'email_security_get_allow_policy',
      want: {
        functionName: 'getAllowPolicy',
        method: 'get',
        requestBody: null,
        permissionGroups: ['Cloud Email Security: Write', 'Cloud Email Security: Read'],
      },
    },
    {
      given: 'email_security_create_allow_policy',
      want: {
        functionName: 'createAllowPolicy',
        method: 'post',
        successStatus: '201',
        requiredProperties: [
          'is_acceptable_sender',
          'is_exempt_recipient',
          'is_regex',
          'is_trusted_sender',
          'pattern',
          'pattern_type',
          'verify_sender',
        ],
      },
    },
    {
      given: 'email_security_list_allow_policies',
      want: {
        functionName: 'listAllowPolicies',
        method: 'get',
        query: [
          'page',
          'per_page',
          'search',
          'order',
          'direction',
          'is_exempt_recipient',
          'is_trusted_sender',
          'is_acceptable_sender',
          'verify_sender',
          'pattern_type',
          'pattern',
        ],
      },
    },
    {
      given: 'email_security_delete_allow_policy',
      want: { functionName: 'deleteAllowPolicy', method: 'delete', requestBody: null },
    },
  ];
  test.each(cases)('$given', ({ given, want }) => {
    const { metadata } = planOf(given);
    const view: Record<string, unknown> = {
      functionName: metadata.functionName,
      method: metadata.method,
      ...('requestBody' in want ? { requestBody: metadata.requestBody } : {}),
      ...('permissionGroups' in want ? { permissionGroups: metadata.permissionGroups } : {}),
      ...('successStatus' in want ? { successStatus: metadata.successStatus } : {}),
      ...('requiredProperties' in want
        ? { requiredProperties: metadata.requestBody?.requiredProperties }
        : {}),
      ...('query' in want
        ? { query: metadata.parameters.filter((p) => p.in === 'query').map((p) => p.name) }
        : {}),
    };
    expect(view).toEqual(want);
  });

  test('the list query parameter page keeps its integer rule', () => {
    const page = planOf('email_security_list_allow_policies').metadata.parameters.find(
      (p) => p.name === 'page',
    );
    expect(page).toEqual({
      name: 'page',
      in: 'query',
      required: false,
      rule: { type: 'integer', minimum: 1 },
      deprecated: false,
    });
  });

  test('every one of the 33 operations can be planned; output is sorted by function name', () => {
    const ids = locateOperations(document).map((entry) => entry.operationId);
    expect(ids).toHaveLength(33);
    const names = planOperations(document, [...ids].reverse()).operations.map(
      (plan) => plan.metadata.functionName,
    );
    expect(names).toEqual([...names].sort());
    expect(new Set(names).size).toBe(33);
  });
});

describe('names derived from a function name are never another operation’s function name', () => {
  const tiny = (operationIds: readonly string[]): OpenApiDocument =>
    ({
      openapi: '3.0.3',
      info: { title: 't', version: '1' },
      paths: Object.fromEntries(
        operationIds.map((operationId, index) => [
          `/things/${index}`,
          {
            get: {
              operationId,
              responses: {
                '200': {
                  description: 'ok',
                  content: { 'application/json': { schema: { type: 'object' } } },
                },
              },
            },
          },
        ]),
      ),
    }) as unknown as OpenApiDocument;

  test.each([
    {
      given: ['get_thing', 'get_thing_operation'],
      want: /"getThingOperation".*also a name generated for "get_thing"/,
    },
    {
      given: ['get_thing', 'get_thing_metadata'],
      want: /"getThingMetadata".*also a name generated for "get_thing"/,
    },
  ])('$given is refused', ({ given, want }) => {
    expect(() => planOperations(tiny(given), given, { operationIdPrefix: '' })).toThrow(want);
  });

  test('distinct names pass', () => {
    const ids = ['get_thing', 'list_things'];
    expect(planOperations(tiny(ids), ids, { operationIdPrefix: '' }).operations).toHaveLength(2);
  });
});

describe('a batch body: item objects, maxItems and the arrays sent as [] come from the spec', () => {
  const batchIds = locateOperations(document)
    .map((entry) => entry.operationId)
    .filter((id) => id.includes('_batch_'));

  test.each(batchIds)('%s', (operationId) => {
    const plan = planOf(operationId);
    const body = plan.metadata.requestBody;
    const located = locateOperations(document).find((entry) => entry.operationId === operationId);
    const schema = (
      (located?.operation ?? {}) as {
        requestBody: {
          content: Record<
            string,
            { schema: { properties: Record<string, { maxItems?: number }>; required: string[] } }
          >;
        };
      }
    ).requestBody.content['application/json']?.schema;
    expect(body?.omittedAsEmpty).toEqual([...(schema?.required ?? [])].sort());
    for (const [name, property] of Object.entries(schema?.properties ?? {})) {
      const rule = body?.properties[name];
      expect({ name, maxItems: rule?.maxItems }).toEqual({ name, maxItems: property.maxItems });
      // Every item has its properties described; `id` is writable where it is the item's key
      // (deletes, patches, puts) and read-only where the server sets it (posts).
      const item = rule?.items?.object;
      expect(Object.keys(item?.properties ?? {}).length, name).toBeGreaterThan(0);
      expect({ name, idReadOnly: item?.readOnlyProperties.includes('id') }).toEqual({
        name,
        idReadOnly: !item?.requiredProperties.includes('id'),
      });
    }
  });

  test("allow policies: a patch item's id is put back into the type, its rules are the update's", () => {
    const plan = planOf('email_security_batch_allow_policies');
    const update = planOf('email_security_update_allow_policy');
    const patches = plan.metadata.requestBody?.properties.patches?.items?.object;
    expect(patches?.requiredProperties).toEqual(['id']);
    const { id: _, ...rest } = patches?.properties ?? {};
    expect(rest).toEqual(update.metadata.requestBody?.properties);
    expect(
      plan.bodyProperties.map((property) => [property.name, property.restoredItemProperties]),
    ).toEqual([
      ['deletes', []],
      ['patches', ['id']],
      ['posts', []],
      ['puts', ['id']],
    ]);
  });
});

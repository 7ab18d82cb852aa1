/**
 * A multi-product Cloudflare document for consumer-side generation (`cfes generate`): the
 * vendored Email Security settings embedded in other products (test/spec-update/upstream-fixture.ts)
 * plus a part of **Email Routing** shaped like upstream (zone-scoped paths, upstream operationIds,
 * `email_` component names, the `{success, errors, messages, result, result_info}` envelope, paged
 * lists). Written from upstream's conventions by hand; no network.
 */
import { embedInUpstream, vendored } from '../spec-update/upstream-fixture.js';

// biome-ignore lint/suspicious/noExplicitAny: fixtures build arbitrary OpenAPI JSON.
type Doc = Record<string, any>;

export const ROUTING_RULES_PATH = '/zones/{zone_id}/email/routing/rules';
export const ROUTING_RULE_PATH = `${ROUTING_RULES_PATH}/{rule_identifier}`;
export const LIST_ROUTING_RULES = 'email-routing-routing-rules-list-routing-rules';
export const GET_ROUTING_RULE = 'email-routing-routing-rules-get-routing-rule';
export const UPDATE_ROUTING_RULE = 'email-routing-routing-rules-update-routing-rule';
/** The routing-rule operations the consumer-side tests generate. */
export const ROUTING_OPERATIONS = [LIST_ROUTING_RULES, GET_ROUTING_RULE, UPDATE_ROUTING_RULE];

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const SECURITY = [{ api_email: [], api_key: [] }, { api_token: [] }];

function envelope(result: Doc, collection = false): Doc {
  return {
    description: 'OK',
    content: {
      'application/json': {
        schema: {
          allOf: [
            ref(collection ? 'email_api-response-collection' : 'email_api-response-single'),
            { type: 'object', properties: { result } },
          ],
        },
      },
    },
  };
}

const ERROR = {
  description: 'Failure',
  content: { 'application/json': { schema: ref('email_api-response-common-failure') } },
};

const zoneParameter = { $ref: '#/components/parameters/email_zone_identifier' };
const ruleParameter = {
  name: 'rule_identifier',
  in: 'path',
  required: true,
  schema: ref('email_rule_identifier'),
};

const EMAIL_ROUTING_PATHS: Doc = {
  [ROUTING_RULES_PATH]: {
    get: {
      operationId: LIST_ROUTING_RULES,
      summary: 'List routing rules',
      description: 'Lists existing routing rules.',
      tags: ['Email Routing routing rules'],
      parameters: [
        zoneParameter,
        { name: 'page', in: 'query', schema: { type: 'number', default: 1, minimum: 1 } },
        {
          name: 'per_page',
          in: 'query',
          schema: { type: 'number', default: 20, minimum: 5, maximum: 50 },
        },
        { name: 'enabled', in: 'query', schema: { type: 'boolean', enum: [true, false] } },
      ],
      responses: {
        '200': envelope({ type: 'array', items: ref('email_rules') }, true),
        '4XX': ERROR,
      },
      security: SECURITY,
      'x-api-token-group': ['Email Routing Rules Read', 'Email Routing Rules Write'],
    },
  },
  [ROUTING_RULE_PATH]: {
    get: {
      operationId: GET_ROUTING_RULE,
      summary: 'Get routing rule',
      description: 'Get information for a specific routing rule already created.',
      tags: ['Email Routing routing rules'],
      parameters: [ruleParameter, zoneParameter],
      responses: { '200': envelope(ref('email_rules')), '4XX': ERROR },
      security: SECURITY,
      'x-api-token-group': ['Email Routing Rules Read', 'Email Routing Rules Write'],
    },
    put: {
      operationId: UPDATE_ROUTING_RULE,
      summary: 'Update routing rule',
      description: 'Update actions and matches, or enable/disable specific routing rules.',
      tags: ['Email Routing routing rules'],
      parameters: [ruleParameter, zoneParameter],
      requestBody: {
        required: true,
        content: { 'application/json': { schema: ref('email_update_rule_properties') } },
      },
      responses: { '200': envelope(ref('email_rules')), '4XX': ERROR },
      security: SECURITY,
      'x-api-token-group': ['Email Routing Rules Write'],
    },
  },
};

const EMAIL_ROUTING_SCHEMAS: Doc = {
  email_messages: {
    type: 'array',
    items: {
      type: 'object',
      properties: { code: { type: 'integer', minimum: 1000 }, message: { type: 'string' } },
      required: ['code', 'message'],
    },
  },
  'email_api-response-common': {
    type: 'object',
    properties: {
      errors: ref('email_messages'),
      messages: ref('email_messages'),
      success: { type: 'boolean', enum: [true] },
    },
    required: ['success', 'errors', 'messages'],
  },
  'email_api-response-common-failure': {
    type: 'object',
    properties: {
      errors: ref('email_messages'),
      messages: ref('email_messages'),
      result: { type: 'object', nullable: true },
      success: { type: 'boolean', enum: [false] },
    },
    required: ['success', 'errors', 'messages', 'result'],
  },
  'email_api-response-single': { allOf: [ref('email_api-response-common')], type: 'object' },
  'email_api-response-collection': {
    allOf: [
      ref('email_api-response-common'),
      { type: 'object', properties: { result_info: ref('email_result_info') } },
    ],
  },
  email_result_info: {
    type: 'object',
    properties: {
      count: { type: 'number', description: 'Total number of results for the requested service.' },
      page: { type: 'number', description: 'Current page within paginated list of results.' },
      per_page: { type: 'number', description: 'Number of results per page of results.' },
      total_count: {
        type: 'number',
        description: 'Total results available without any search parameters.',
      },
    },
  },
  email_rule_identifier: {
    type: 'string',
    description: 'Routing rule identifier.',
    maxLength: 32,
    readOnly: true,
    example: 'a7e6fb77503c41d8a7f3113c6918f10c',
  },
  email_rule_name: { type: 'string', description: 'Routing rule name.', maxLength: 256 },
  email_rule_enabled: {
    type: 'boolean',
    description: 'Routing rule status.',
    default: true,
    enum: [true, false],
  },
  email_rule_priority: {
    type: 'number',
    description: 'Priority of the routing rule.',
    default: 0,
    minimum: 0,
  },
  email_rule_matcher: {
    type: 'object',
    properties: {
      field: { type: 'string', enum: ['to'] },
      type: { type: 'string', enum: ['literal'] },
      value: { type: 'string', maxLength: 90 },
    },
    required: ['type', 'field', 'value'],
  },
  email_rule_action: {
    type: 'object',
    properties: {
      type: { type: 'string', enum: ['drop', 'forward', 'worker'] },
      value: { type: 'array', items: { type: 'string', maxLength: 90 } },
    },
    required: ['type'],
  },
  email_rules: {
    type: 'object',
    properties: {
      actions: { type: 'array', items: ref('email_rule_action') },
      enabled: ref('email_rule_enabled'),
      id: ref('email_rule_identifier'),
      matchers: { type: 'array', items: ref('email_rule_matcher') },
      name: ref('email_rule_name'),
      priority: ref('email_rule_priority'),
      tag: {
        type: 'string',
        description: 'Routing rule tag. (Deprecated, replaced by routing rule identifier)',
        deprecated: true,
        readOnly: true,
      },
    },
  },
  email_update_rule_properties: {
    type: 'object',
    properties: {
      actions: { type: 'array', items: ref('email_rule_action') },
      enabled: ref('email_rule_enabled'),
      matchers: { type: 'array', items: ref('email_rule_matcher') },
      name: ref('email_rule_name'),
      priority: ref('email_rule_priority'),
    },
    required: ['actions', 'matchers'],
  },
};

/** The whole document: Email Security settings, Email Routing and the other products. */
export function multiProductDocument(): Doc {
  const document = embedInUpstream(vendored());
  document.paths = Object.fromEntries(
    Object.entries({ ...document.paths, ...EMAIL_ROUTING_PATHS }).sort(([a], [b]) =>
      a < b ? -1 : a > b ? 1 : 0,
    ),
  );
  document.components.schemas = { ...document.components.schemas, ...EMAIL_ROUTING_SCHEMAS };
  document.components.parameters = {
    ...document.components.parameters,
    email_zone_identifier: {
      name: 'zone_id',
      in: 'path',
      required: true,
      schema: {
        type: 'string',
        description: 'Identifier.',
        maxLength: 32,
        example: '023e105f4ecef8ad9ca31a8372d0c353',
      },
    },
  };
  return document;
}

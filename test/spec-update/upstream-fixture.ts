import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Test fixtures for spec:update, all built from the vendored file (no large hand-edited files). */

// biome-ignore lint/suspicious/noExplicitAny: fixtures mutate arbitrary OpenAPI JSON.
export type Doc = Record<string, any>;

export const VENDORED_FILE = fileURLToPath(
  new URL('../../openapi/cloudflare-email-security.openapi.json', import.meta.url),
);

export const VENDORED_TEXT = readFileSync(VENDORED_FILE, 'utf8');

/** A fresh, mutable copy of the vendored spec. */
export function vendored(): Doc {
  return JSON.parse(VENDORED_TEXT) as Doc;
}

export const SETTINGS = '/accounts/{account_id}/email-security/settings';
export const POLICY_PATH = `${SETTINGS}/allow_policies/{policy_id}`;

const envelope = (schema: string) => ({
  '200': {
    description: 'OK',
    content: { 'application/json': { schema: { $ref: `#/components/schemas/${schema}` } } },
  },
});

/**
 * Paths of other products: unrelated ones, look-alikes of the Email Security settings prefix
 * (email routing, email-security outside /settings/, `settings` without the slash) and one that
 * references Email Security components, which must not drag anything extra into the slice.
 */
const FOREIGN_PATHS: Doc = {
  '/accounts/{account_id}/email/routing/rules': {
    get: {
      operationId: 'email_routing_list_rules',
      tags: ['Email Routing rules'],
      responses: envelope('email_rules'),
      security: [{ api_token: [] }],
    },
  },
  '/accounts/{account_id}/email-security/investigate': {
    get: {
      operationId: 'email_security_investigate',
      tags: ['Email Security'],
      parameters: [{ $ref: '#/components/parameters/email-security_account_id' }],
      responses: envelope('email-security_investigate_Message'),
      security: [{ api_token: [] }],
    },
  },
  '/accounts/{account_id}/email-security/settings': {
    get: {
      operationId: 'email_security_settings_overview',
      tags: ['Email Security'],
      responses: envelope('email-security_SettingsOverview'),
    },
  },
  '/accounts/{account_id}/email-security/settingsx/foo': {
    get: { operationId: 'email_security_settingsx', responses: envelope('email_rules') },
  },
  '/accounts/{account_id}/email-security-legacy/settings/allow_policies': {
    get: {
      operationId: 'legacy_allow_policies',
      responses: envelope('email-security_LegacyPolicy'),
    },
  },
  '/zones/{zone_id}/dns_records': {
    get: {
      operationId: 'dns_records_list',
      tags: ['DNS Records for a Zone'],
      parameters: [{ $ref: '#/components/parameters/dns-records_zone_id' }],
      responses: envelope('dns-records_record'),
      security: [{ api_email: [], api_key: [] }],
    },
  },
};

/** Components of other products, with names that collide with or look like Email Security ones. */
const FOREIGN_COMPONENTS: Doc = {
  schemas: {
    email_rules: { type: 'array', items: { $ref: '#/components/schemas/email_rule' } },
    email_rule: { type: 'object', properties: { id: { type: 'integer' } } },
    'email_api-response-common': { type: 'object', properties: { ok: { type: 'boolean' } } },
    'email-security_investigate_Message': {
      allOf: [{ $ref: '#/components/schemas/email-security_api-response-common' }],
      properties: { subject: { type: 'string' } },
    },
    'email-security_SettingsOverview': { type: 'object' },
    'email-security_LegacyPolicy': { type: 'object', properties: { id: { type: 'integer' } } },
    'dns-records_record': {
      type: 'object',
      properties: { ttl: { $ref: '#/components/schemas/dns-records_ttl' } },
    },
    'dns-records_ttl': { type: 'integer', minimum: 1 },
  },
  parameters: {
    'dns-records_zone_id': {
      name: 'zone_id',
      in: 'path',
      required: true,
      schema: { type: 'string' },
    },
    // Same name as an Email Security *schema*: only schemas/… of that name may be kept.
    'email-security_AllowPolicyId': { name: 'policy_id', in: 'path', schema: { type: 'integer' } },
  },
  responses: {
    'email-security_AllowPolicy': { description: 'a look-alike response' },
  },
  requestBodies: {
    'email-security_UpdateAllowPolicy': {
      content: { 'application/json': { schema: { $ref: '#/components/schemas/email_rule' } } },
    },
  },
};

/** Inserts `extra` entries at the start, the middle and the end, keeping `base`'s own order. */
function interleave(base: Doc, extra: Doc): Doc {
  const baseEntries = Object.entries(base);
  const extraEntries = Object.entries(extra);
  const middle = Math.floor(baseEntries.length / 2);
  const third = Math.ceil(extraEntries.length / 3);
  return Object.fromEntries([
    ...extraEntries.slice(0, third),
    ...baseEntries.slice(0, middle),
    ...extraEntries.slice(third, 2 * third),
    ...baseEntries.slice(middle),
    ...extraEntries.slice(2 * third),
  ]);
}

/** Paths sorted as upstream sorts them (the vendored ones already are), foreign ones mixed in. */
function mergeSorted(base: Doc, extra: Doc): Doc {
  const keys = [...Object.keys(base), ...Object.keys(extra)].sort();
  return Object.fromEntries(keys.map((key) => [key, key in base ? base[key] : extra[key]]));
}

/**
 * A multi-product document in the shape of Cloudflare's full one, with the given Email Security
 * slice embedded: other products' paths and components around it, look-alike paths and
 * colliding component names, top-level tags and an `x-` extension of its own.
 */
export function embedInUpstream(slice: Doc): Doc {
  const components: Doc = {};
  for (const [section, entries] of Object.entries(slice.components ?? {})) {
    components[section] =
      section === 'securitySchemes'
        ? entries
        : interleave(entries as Doc, FOREIGN_COMPONENTS[section] ?? {});
  }
  for (const [section, entries] of Object.entries(FOREIGN_COMPONENTS)) {
    components[section] ??= entries;
  }
  return {
    openapi: slice.openapi,
    info: slice.info,
    servers: slice.servers,
    ...(slice.security === undefined ? {} : { security: slice.security }),
    tags: [{ name: 'DNS Records for a Zone' }, { name: 'Email Routing rules' }],
    paths: mergeSorted(slice.paths, FOREIGN_PATHS),
    components,
    'x-generated-at': '2026-11-20T00:00:00Z',
  };
}

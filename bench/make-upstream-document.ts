/**
 * Builds a document shaped like Cloudflare's full upstream OpenAPI file (about 15 MB, 2,500
 * operations, 8,000 schemas, every product in one file) with the vendored Email Security part
 * embedded, deterministically (seeded PRNG, no clock): same bytes on every run. Written to
 * `bench/.data/` (git-ignored), never committed.
 *
 * Usage: `tsx bench/make-upstream-document.ts [--out <file>]`
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

type Json = Record<string, unknown>;

const benchDir = dirname(fileURLToPath(import.meta.url));
const VENDORED = join(dirname(benchDir), 'openapi', 'cloudflare-email-security.openapi.json');
export const DEFAULT_UPSTREAM_FILE = join(benchDir, '.data', 'upstream-openapi.json');

/** Shape of the generated document; the defaults match the full upstream file. */
export const SHAPE = {
  products: 125,
  resourcesPerProduct: 4,
  /** 4 resources x (list, create, get, update, delete) = 20 operations per product. */
  extraSchemasPerProduct: 40,
  propertiesPerSchema: 9,
  seed: 0x5eed_c10d,
} as const;

/** mulberry32: small, fast, deterministic. */
function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const WORDS = (
  'account zone record policy rule token list entry domain setting identifier value status ' +
  'created modified request response filter pattern match action route worker script tunnel ' +
  'certificate origin cache limit region priority enabled description name type target'
).split(' ');

class Builder {
  private readonly random: () => number;
  constructor(seed: number) {
    this.random = prng(seed);
  }
  int(max: number): number {
    return Math.floor(this.random() * max);
  }
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)] as T;
  }
  sentence(words: number): string {
    const text = Array.from({ length: words }, () => this.pick(WORDS)).join(' ');
    return `${text.charAt(0).toUpperCase()}${text.slice(1)}.`;
  }
}

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });

function property(builder: Builder, siblings: readonly string[]): Json {
  const kind = builder.int(6);
  const description = builder.sentence(11 + builder.int(18));
  if (kind === 0 && siblings.length > 0) return { ...ref(builder.pick(siblings)) };
  if (kind === 1) return { type: 'string', description, enum: ['alpha', 'beta', 'gamma', 'delta'] };
  if (kind === 2) return { type: 'integer', description, minimum: 0, example: builder.int(1000) };
  if (kind === 3) return { type: 'boolean', description, example: builder.int(2) === 1 };
  if (kind === 4 && siblings.length > 0) {
    return { type: 'array', description, items: ref(builder.pick(siblings)) };
  }
  return {
    type: 'string',
    description,
    maxLength: 1024,
    example: builder.sentence(3),
    'x-auditable': true,
  };
}

function objectSchema(builder: Builder, siblings: readonly string[]): Json {
  const properties: Json = {};
  for (let index = 0; index < SHAPE.propertiesPerSchema; index += 1) {
    properties[`${builder.pick(WORDS)}_${builder.pick(WORDS)}_${index}`] = property(
      builder,
      siblings,
    );
  }
  return {
    type: 'object',
    description: builder.sentence(20),
    properties,
    required: Object.keys(properties).slice(0, 2),
  };
}

function operation(
  builder: Builder,
  product: string,
  summary: string,
  body: Json | null,
  result: Json,
): Json {
  return {
    operationId: `${product}_${summary.toLowerCase().replace(/\W+/g, '_')}`,
    summary,
    description: builder.sentence(30),
    ...(body === null
      ? {}
      : { requestBody: { required: true, content: { 'application/json': { schema: body } } } }),
    responses: {
      '200': {
        description: `${summary} response`,
        content: {
          'application/json': {
            schema: {
              allOf: [
                ref(`${product}_api-response-common`),
                { type: 'object', properties: { result } },
              ],
            },
          },
        },
      },
      '4XX': { $ref: `#/components/responses/${product}_ClientError` },
    },
    security: [{ api_token: [] }, { api_email: [], api_key: [] }],
    tags: [`${product} settings`],
    'x-api-token-group': [`${product}: Write`],
  };
}

function addProduct(
  builder: Builder,
  index: number,
  paths: Json,
  components: Record<string, Json>,
): void {
  const product = `p${String(index).padStart(3, '0')}-${builder.pick(WORDS)}`;
  const schemas = components.schemas as Json;
  const extras = Array.from(
    { length: SHAPE.extraSchemasPerProduct },
    (_, n) => `${product}_Detail${n}`,
  );
  extras.forEach((name, n) => {
    schemas[name] = objectSchema(builder, extras.slice(0, n));
  });
  schemas[`${product}_api-response-common`] = {
    type: 'object',
    properties: {
      success: { type: 'boolean' },
      errors: { type: 'array', items: { type: 'object' } },
    },
    required: ['success', 'errors'],
  };
  (components.responses as Json)[`${product}_ClientError`] = {
    description: 'Client Error',
    content: { 'application/json': { schema: ref(`${product}_api-response-common`) } },
  };
  (components.parameters as Json)[`${product}_account_id`] = {
    name: 'account_id',
    in: 'path',
    required: true,
    schema: { type: 'string', maxLength: 32 },
  };
  for (let resource = 0; resource < SHAPE.resourcesPerProduct; resource += 1) {
    const name = `${builder.pick(WORDS)}_${resource}`;
    const entity = `${product}_Entity${resource}`;
    schemas[`${entity}Id`] = { type: 'string', format: 'uuid', description: builder.sentence(6) };
    schemas[entity] = {
      ...objectSchema(builder, extras),
      properties: {
        ...(objectSchema(builder, extras).properties as Json),
        id: { allOf: [ref(`${entity}Id`)], readOnly: true },
      },
    };
    schemas[`${entity}Create`] = { allOf: [ref(entity)], required: ['id'] };
    schemas[`${entity}Update`] = { allOf: [ref(entity)], minProperties: 1 };
    schemas[`${entity}List`] = { type: 'array', items: ref(entity) };
    schemas[`${entity}Deleted`] = { type: 'object', properties: { id: ref(`${entity}Id`) } };
    const accountParameter = { $ref: `#/components/parameters/${product}_account_id` };
    const base = `/accounts/{account_id}/${product}/${name}`;
    paths[base] = {
      parameters: [accountParameter],
      get: operation(builder, product, `List ${name}`, null, ref(`${entity}List`)),
      post: operation(builder, product, `Create ${name}`, ref(`${entity}Create`), ref(entity)),
    };
    paths[`${base}/{id}`] = {
      parameters: [
        accountParameter,
        { name: 'id', in: 'path', required: true, schema: ref(`${entity}Id`) },
      ],
      get: operation(builder, product, `Get ${name}`, null, ref(entity)),
      patch: operation(builder, product, `Update ${name}`, ref(`${entity}Update`), ref(entity)),
      delete: operation(builder, product, `Delete ${name}`, null, ref(`${entity}Deleted`)),
    };
  }
}

/** Inserts `embedded`'s entries in the middle of `host`'s, keeping both orders. */
function embedMiddle(host: Json, embedded: Json): Json {
  const entries = Object.entries(host);
  const middle = Math.floor(entries.length / 2);
  return Object.fromEntries([
    ...entries.slice(0, middle),
    ...Object.entries(embedded),
    ...entries.slice(middle),
  ]);
}

/** The whole document as an object. */
export function makeUpstreamDocument(
  vendored: Json = JSON.parse(readFileSync(VENDORED, 'utf8')),
): Json {
  const builder = new Builder(SHAPE.seed);
  const paths: Json = {};
  const components: Record<string, Json> = { parameters: {}, responses: {}, schemas: {} };
  for (let index = 0; index < SHAPE.products; index += 1)
    addProduct(builder, index, paths, components);
  const slice = vendored.components as Record<string, Json>;
  const allPaths = { ...paths, ...(vendored.paths as Json) };
  const sortedPaths = Object.fromEntries(
    Object.keys(allPaths)
      .sort()
      .map((key) => [key, allPaths[key]]),
  );
  return {
    openapi: vendored.openapi,
    info: vendored.info,
    servers: vendored.servers,
    paths: sortedPaths,
    components: {
      parameters: embedMiddle(components.parameters as Json, slice.parameters ?? {}),
      responses: embedMiddle(components.responses as Json, slice.responses ?? {}),
      schemas: embedMiddle(components.schemas as Json, slice.schemas ?? {}),
      securitySchemes: slice.securitySchemes,
    },
  };
}

export interface WrittenDocument {
  readonly file: string;
  readonly bytes: number;
  readonly operations: number;
  readonly schemas: number;
}

/** (Re)writes the document (same bytes every time) and describes it. */
export function writeUpstreamDocument(file = DEFAULT_UPSTREAM_FILE): WrittenDocument {
  const document = makeUpstreamDocument();
  const text = JSON.stringify(document);
  mkdirSync(dirname(file), { recursive: true });
  if (!existsSync(file) || readFileSync(file, 'utf8') !== text) writeFileSync(file, text);
  const operations = (Object.values(document.paths as Json) as Json[]).reduce(
    (count, item) => count + Object.keys(item).filter((key) => key !== 'parameters').length,
    0,
  );
  const schemas = Object.keys((document.components as Record<string, Json>).schemas ?? {}).length;
  return { file, bytes: Buffer.byteLength(text), operations, schemas };
}

export function describeDocument(written: WrittenDocument): string {
  const size = (written.bytes / 1_000_000).toFixed(1);
  return `${written.file}: ${size} MB, ${written.operations} operations, ${written.schemas} schemas`;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const outIndex = process.argv.indexOf('--out');
  const file =
    outIndex === -1 ? DEFAULT_UPSTREAM_FILE : (process.argv[outIndex + 1] ?? DEFAULT_UPSTREAM_FILE);
  console.log(describeDocument(writeUpstreamDocument(file)));
}

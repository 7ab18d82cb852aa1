import type { PaginationMetadata } from '../../src/metadata.js';
import type { OperationContext } from './context.js';
import type { PlannedParameter } from './parameters.js';
import { flattenSchema, isRecord } from './refs.js';
import type { PlannedSuccess } from './responses.js';

/**
 * Whether an operation returns one page of a list, and how to ask for the next: Cloudflare's
 * convention, read from the spec (never from operation names). A list is paged when
 *
 * - its success envelope has a `result_info` object with `page`, `per_page` and `total_count`
 *   (and usually `count`), and `result` is an array;
 * - it takes `page` and `per_page` query parameters.
 *
 * The names go into the metadata: src/pagination.ts pages by them and names none itself.
 */
const CONVENTION = {
  pageParameter: 'page',
  perPageParameter: 'per_page',
  infoProperty: 'result_info',
  info: { page: 'page', perPage: 'per_page', count: 'count', totalCount: 'total_count' },
} as const satisfies PaginationMetadata;

export function planPagination(
  ctx: OperationContext,
  parameters: readonly PlannedParameter[],
  success: PlannedSuccess,
): PaginationMetadata | null {
  const query = new Set(
    parameters.filter((p) => p.metadata.in === 'query').map((p) => p.metadata.name),
  );
  if (!query.has(CONVENTION.pageParameter) || !query.has(CONVENTION.perPageParameter)) return null;
  if (!success.schema || success.resultProperty === null) return null;
  const envelope = flattenSchema(ctx.doc, success.schema.node, success.schema.location).schema;
  const properties = isRecord(envelope.properties) ? envelope.properties : {};
  const result = properties[success.resultProperty];
  const info = properties[CONVENTION.infoProperty];
  if (result === undefined || info === undefined) return null;
  const at = [...success.schema.location, 'properties'];
  const resultSchema = flattenSchema(ctx.doc, result, [...at, success.resultProperty]).schema;
  const infoSchema = flattenSchema(ctx.doc, info, [...at, CONVENTION.infoProperty]).schema;
  const infoProperties = isRecord(infoSchema.properties) ? infoSchema.properties : {};
  const { page, perPage, totalCount } = CONVENTION.info;
  const described = [page, perPage, totalCount].every((name) => name in infoProperties);
  return resultSchema.type === 'array' && described ? CONVENTION : null;
}

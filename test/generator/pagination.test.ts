/**
 * Which operations are paged lists comes from the spec (scripts/codegen/pagination.ts): a
 * `result_info` with page facts beside an array `result`, and `page` + `per_page` query
 * parameters. Cases read the vendored spec and change one fact at a time.
 */
import { describe, expect, test } from 'vitest';
import { planOperations } from '../../scripts/codegen/plan.js';
import type { OpenApiDocument } from '../../scripts/codegen/validate.js';
import { LIST_ROUTING_RULES, multiProductDocument } from '../support/multi-product-document.js';
import { specCopy } from './helpers.js';

// biome-ignore lint/suspicious/noExplicitAny: tests edit arbitrary OpenAPI JSON.
type Doc = Record<string, any>;

const LIST = 'email_security_list_allow_policies';
const LIST_PATH = '/accounts/{account_id}/email-security/settings/allow_policies';

function operationIds(doc: Doc): string[] {
  return Object.values(doc.paths as Record<string, Doc>).flatMap((item) =>
    Object.entries(item)
      .filter(([key]) => key !== 'parameters')
      .map(([, operation]) => operation.operationId as string),
  );
}

function paged(doc: Doc, ids: readonly string[]): string[] {
  return planOperations(doc as OpenApiDocument, ids)
    .operations.filter((operation) => operation.metadata.pagination)
    .map((operation) => operation.metadata.operationId)
    .sort();
}

describe('paged lists come from the spec', () => {
  test('in the vendored spec: exactly the six list operations, with the envelope names', async () => {
    const doc = await specCopy();
    const lists = operationIds(doc).filter((id) => id.includes('_list_'));
    expect(lists).toHaveLength(6);
    expect(paged(doc, operationIds(doc))).toEqual(lists.sort());
    const [list] = planOperations(doc as OpenApiDocument, [LIST]).operations;
    expect(list?.metadata.pagination).toEqual({
      pageParameter: 'page',
      perPageParameter: 'per_page',
      infoProperty: 'result_info',
      info: { page: 'page', perPage: 'per_page', count: 'count', totalCount: 'total_count' },
    });
  });

  test('another product following the convention is paged too', () => {
    expect(paged(multiProductDocument(), [LIST_ROUTING_RULES])).toEqual([LIST_ROUTING_RULES]);
  });

  const cases: [string, (doc: Doc) => void][] = [
    [
      'no per_page query parameter',
      (doc) => {
        const get = doc.paths[LIST_PATH].get;
        get.parameters = get.parameters.filter(
          (p: Doc) => p.$ref !== '#/components/parameters/email-security_per_page',
        );
      },
    ],
    [
      'no result_info in the envelope',
      (doc) => {
        const collection = doc.components.schemas['email-security_api-response-collection'];
        collection.allOf = collection.allOf?.filter((part: Doc) => !part.properties?.result_info);
        delete collection.properties?.result_info;
      },
    ],
    [
      'a result_info without total_count',
      (doc) => {
        delete doc.components.schemas['email-security_result_info'].properties.total_count;
      },
    ],
  ];
  test.each(cases)('not paged: %s', async (_name, change) => {
    const doc = await specCopy();
    change(doc);
    expect(paged(doc, [LIST])).toEqual([]);
  });
});

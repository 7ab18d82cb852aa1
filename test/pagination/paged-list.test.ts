/**
 * src/pagination.ts over a scripted server (`fetchPage` answers from a table): awaiting gives the
 * first page; iterating yields every item of every page, one request per page, in order, and
 * stops on the last page by the page facts; a server that never ends, answers another page, or
 * repeats a page ends with a PaginationError. The names come from the metadata, as generated.
 */
import { describe, expect, test } from 'vitest';
import { PaginationError } from '../../src/errors.js';
import type { PaginationMetadata } from '../../src/metadata.js';
import { createPagedList, type FetchPage, type PageResponse } from '../../src/pagination.js';

const PAGINATION: PaginationMetadata = {
  pageParameter: 'page',
  perPageParameter: 'per_page',
  infoProperty: 'result_info',
  info: { page: 'page', perPage: 'per_page', count: 'count', totalCount: 'total_count' },
};
const CONTEXT = { operationId: 'list', method: 'GET', path: '/things' };

interface Info {
  page?: number;
  per_page?: number;
  count?: number;
  total_count?: number;
}

/** A server with `total` items, pages of `perPage`; `answer` may rewrite each page. */
function server(
  total: number,
  answer: (page: number, items: number[], info: Info) => { items: number[]; info: Info } = (
    _page,
    items,
    info,
  ) => ({ items, info }),
) {
  const asked: Record<string, unknown>[] = [];
  const fetchPage: FetchPage = async (query) => {
    asked.push(query);
    const page = (query.page as number | undefined) ?? 1;
    const perPage = (query.per_page as number | undefined) ?? 20;
    const all = Array.from({ length: total }, (_, index) => index + 1);
    const items = all.slice((page - 1) * perPage, page * perPage);
    const answered = answer(page, items, {
      page,
      per_page: perPage,
      count: items.length,
      total_count: total,
    });
    return {
      result: answered.items,
      resultInfo: answered.info,
      response: new Response(null),
      messages: [],
      cfRay: null,
      deprecations: [],
    } satisfies PageResponse<unknown, unknown>;
  };
  return { asked, fetchPage };
}

async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of iterable) items.push(item);
  return items;
}

const list = (fetchPage: FetchPage, query: Record<string, unknown>, maxPages?: number) =>
  createPagedList<number, Info>(PAGINATION, fetchPage, query, { context: CONTEXT, maxPages });

describe('a paged list', () => {
  test('awaited: the first page, its items and page facts, one request', async () => {
    const { asked, fetchPage } = server(250);
    const page = await list(fetchPage, { per_page: 100 });
    expect(page.items).toHaveLength(100);
    expect(page.resultInfo).toEqual({ page: 1, per_page: 100, count: 100, total_count: 250 });
    expect(asked).toEqual([{ per_page: 100 }]);
  });

  test.each([
    ['pages end by total_count', 250, 100, 3],
    ['an exact multiple ends without an empty extra page', 300, 100, 3],
    ['one short page', 7, 100, 1],
    ['an empty list', 0, 100, 1],
  ])('iterated: every item once, in order (%s)', async (_name, total, perPage, requests) => {
    const { asked, fetchPage } = server(total);
    const items = await collect(list(fetchPage, { per_page: perPage, search: 'x' }));
    expect(items).toEqual(Array.from({ length: total }, (_, index) => index + 1));
    expect(asked.map((query) => query.page ?? 1)).toEqual(
      Array.from({ length: requests }, (_, index) => index + 1),
    );
    expect(asked[0]?.page).toBeUndefined();
    expect(asked.every((query) => query.search === 'x' && query.per_page === perPage)).toBe(true);
  });

  test('streams: a page is fetched only when the previous one has been consumed', async () => {
    const { asked, fetchPage } = server(1000);
    const pages = list(fetchPage, { per_page: 100 }).pages();
    await pages.next();
    await pages.next();
    expect(asked).toHaveLength(2);
    await pages.return?.(undefined);
  });

  test('awaiting then iterating reuses the first page', async () => {
    const { asked, fetchPage } = server(150);
    const paged = list(fetchPage, { per_page: 100 });
    await paged;
    expect(await collect(paged)).toHaveLength(150);
    expect(asked.map((query) => query.page)).toEqual([undefined, 2]);
  });

  test('starts at the page given in the query', async () => {
    const { fetchPage } = server(250);
    expect(await collect(list(fetchPage, { per_page: 100, page: 3 }))).toHaveLength(50);
  });

  test('without total_count, a short page is the last', async () => {
    const { asked, fetchPage } = server(230, (_page, items, info) => ({
      items,
      info: { page: info.page, per_page: info.per_page, count: info.count },
    }));
    expect(await collect(list(fetchPage, { per_page: 100 }))).toHaveLength(230);
    expect(asked).toHaveLength(3);
  });
});

describe('a misbehaving server ends with a PaginationError', () => {
  async function failure(
    iterable: AsyncIterable<number>,
  ): Promise<{ error: PaginationError; seen: number }> {
    let seen = 0;
    try {
      for await (const _ of iterable) seen += 1;
    } catch (error) {
      if (error instanceof PaginationError) return { error, seen };
      throw error;
    }
    throw new Error('the iteration ended without an error');
  }

  test('pages that never end: stops after maxPages, naming the cap', async () => {
    // Always a full page, and a total that keeps growing.
    const { asked, fetchPage } = server(10, (page) => ({
      items: Array.from({ length: 10 }, (_, index) => page * 100 + index),
      info: { page, per_page: 10, count: 10, total_count: page * 10 + 1 },
    }));
    const { error, seen } = await failure(list(fetchPage, { per_page: 10 }, 5));
    expect(error.message).toMatch(/^GET \/things: the list did not end after 5 pages \(maxPages\)/);
    expect(error.page).toBe(6);
    expect(seen).toBe(50);
    expect(asked).toHaveLength(5);
  });

  test('the default cap ends a never-ending server too', async () => {
    const { asked, fetchPage } = server(10, (page) => ({
      items: [page],
      info: { page, per_page: 1, count: 1, total_count: Number.MAX_SAFE_INTEGER },
    }));
    const { error } = await failure(list(fetchPage, { per_page: 1 }));
    expect(error.message).toMatch(/did not end after 10000 pages/);
    expect(asked).toHaveLength(10_000);
  });

  test('a server that ignores the page parameter (answers page 1 again)', async () => {
    const { fetchPage } = server(250, (_page, _items, info) => ({
      items: Array.from({ length: 100 }, (_, index) => index + 1),
      info: { ...info, page: 1 },
    }));
    const { error, seen } = await failure(list(fetchPage, { per_page: 100 }));
    expect(error.message).toMatch(
      /asked for page 2, the server answered page 1 \(result_info\.page\)/,
    );
    expect(seen).toBe(100);
  });

  test('a server that repeats the previous page under the next number', async () => {
    const { fetchPage } = server(250, (_page, _items, info) => ({
      items: Array.from({ length: 100 }, (_, index) => index + 1),
      info,
    }));
    const { error } = await failure(list(fetchPage, { per_page: 100 }));
    expect(error.message).toMatch(/page 2 repeats page 1 \(same items\)/);
  });

  test('a page without page facts', async () => {
    const { fetchPage } = server(250, (_page, items) => ({
      items,
      info: undefined as unknown as Info,
    }));
    const { error } = await failure(list(fetchPage, { per_page: 100 }));
    expect(error.message).toMatch(/no result_info, so the next page cannot be found/);
  });
});

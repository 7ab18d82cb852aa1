/**
 * Paged lists, driven by the operation's `pagination` metadata (src/metadata.ts): the query
 * parameters that choose the page and its size, and the envelope property that says which page
 * was sent. Nothing here names a spec field.
 *
 * A list call returns a `PagedList`: awaited, it is the first page (`{ items, resultInfo }`);
 * iterated with `for await`, it yields every item of every page, fetching one page at a time
 * (memory holds one page, whatever the number of pages). Paging stops on the last page by the
 * page facts (a page past `total_count`, a short page, an empty page) and refuses, with a
 * `PaginationError`, a server that answers another page than the one asked for, repeats the
 * previous page, sends no page facts, or has not ended after `maxPages` pages.
 */

import { PaginationError, type RequestContext } from './errors.js';
import type { OperationMetadata, PaginationMetadata, ResourceMethodMetadata } from './metadata.js';
import type { RequestOptions } from './options.js';
import type { ApiResponse } from './pipeline.js';
import { type Callable, type Invoke, resourceArguments } from './resources.js';

/** One page: its items and the envelope's page facts (e.g. `{ page, per_page, count, total_count }`). */
export interface Page<Item, Info> {
  readonly items: readonly Item[];
  readonly resultInfo: Info;
}

/** `withResponse` of a list: one page with its `Response`, `messages`, `cfRay`, deprecation events. */
export interface PageResponse<Item, Info> extends ApiResponse<Item[]> {
  readonly resultInfo: Info;
}

/** The result of a list method: awaitable (first page) and async-iterable (every item). */
export interface PagedList<Item, Info> extends PromiseLike<Page<Item, Info>>, AsyncIterable<Item> {
  /** Every page in order, one request each (for progress reports or per-page work). */
  pages(): AsyncIterableIterator<Page<Item, Info>>;
}

/** Options of a list call besides the request options. */
export interface PagingOptions {
  /** Most pages one iteration fetches before it stops with a `PaginationError`. Default 10 000. */
  readonly maxPages?: number;
}

export const DEFAULT_MAX_PAGES = 10_000;

/** Fetches one page: the query with the page number set; resolves to the page's response. */
export type FetchPage = (query: Record<string, unknown>) => Promise<PageResponse<unknown, unknown>>;

/**
 * A paged list's resource method: returns a `PagedList`; `withResponse` is the first page's
 * response with `resultInfo`. It reaches a client only through the registry entries of paged
 * lists (`resourceMethod`, src/registry.ts), so only a bundle given a paged list holds this module.
 */
export function pagedMethod(
  name: string,
  metadata: OperationMetadata,
  resource: ResourceMethodMetadata,
  invoke: Invoke,
): Callable {
  const pagination = metadata.pagination as PaginationMetadata;
  const context = {
    operationId: metadata.operationId,
    method: metadata.method.toUpperCase(),
    path: metadata.path,
  };
  const list = (args: unknown[]) => {
    const [input, options] = resourceArguments(resource, args);
    const { maxPages, ...requestOptions } = (options ?? {}) as RequestOptions & PagingOptions;
    const fetchPage = (query: Record<string, unknown>) =>
      invoke(name, { ...input, query }, requestOptions) as ReturnType<FetchPage>;
    return createPagedList(pagination, fetchPage, input.query, { context, maxPages });
  };
  const method = ((...args: unknown[]) => list(args)) as unknown as Callable;
  method.withResponse = (...args: unknown[]) => invoke(name, ...resourceArguments(resource, args));
  return method;
}

export function createPagedList<Item, Info>(
  pagination: PaginationMetadata,
  fetchPage: FetchPage,
  query: Record<string, unknown> | undefined,
  options: PagingOptions & { readonly context: RequestContext },
): PagedList<Item, Info> {
  const maxPages = options.maxPages ?? DEFAULT_MAX_PAGES;
  const firstPage = numberOr(query?.[pagination.pageParameter], 1);
  let first: Promise<PageResponse<unknown, unknown>> | undefined;
  // The first request is the call as given (the server's default page when none is given).
  const fetchFirst = () => {
    first ??= fetchPage({ ...query });
    return first;
  };

  async function* pages(): AsyncIterableIterator<Page<Item, Info>> {
    let previous: string | undefined;
    for (let fetched = 0, page = firstPage; ; fetched += 1, page += 1) {
      if (fetched >= maxPages) {
        throw new PaginationError(
          `the list did not end after ${maxPages} pages (maxPages); the server may be paging forever. Narrow the query or raise maxPages.`,
          page,
          options.context,
        );
      }
      const response = await (fetched === 0
        ? fetchFirst()
        : fetchPage({ ...query, [pagination.pageParameter]: page }));
      const checked = checkPage(pagination, response, page, previous, options.context);
      previous = checked.fingerprint;
      yield { items: checked.items as Item[], resultInfo: response.resultInfo as Info };
      if (checked.last) return;
    }
  }

  return {
    // biome-ignore lint/suspicious/noThenProperty: awaiting a list call gives its first page, on purpose.
    then(onFulfilled, onRejected) {
      return fetchFirst()
        .then((response) => {
          const items = Array.isArray(response.result) ? response.result : [];
          return { items: items as Item[], resultInfo: response.resultInfo as Info };
        })
        .then(onFulfilled, onRejected);
    },
    async *[Symbol.asyncIterator]() {
      for await (const page of pages()) yield* page.items;
    },
    pages,
  };
}

/** The page's items, whether it is the last one, and what identifies it; throws on a bad page. */
function checkPage(
  pagination: PaginationMetadata,
  response: PageResponse<unknown, unknown>,
  page: number,
  previous: string | undefined,
  context: RequestContext,
): { items: readonly unknown[]; last: boolean; fingerprint: string } {
  const { result, resultInfo } = response;
  const names = pagination.info;
  if (!Array.isArray(result) || !isObject(resultInfo)) {
    throw new PaginationError(
      `page ${page}: the response has no list in its result or no ${pagination.infoProperty}, so the next page cannot be found.`,
      page,
      context,
    );
  }
  const answered = resultInfo[names.page];
  if (typeof answered === 'number' && answered !== page) {
    throw new PaginationError(
      `asked for page ${page}, the server answered page ${answered} (${pagination.infoProperty}.${names.page}); stopping rather than repeating or skipping items.`,
      page,
      context,
    );
  }
  const fingerprint =
    result.length === 0 ? '' : `${JSON.stringify(result[0])}\u0000${JSON.stringify(result.at(-1))}`;
  if (previous !== undefined && fingerprint !== '' && fingerprint === previous) {
    throw new PaginationError(
      `page ${page} repeats page ${page - 1} (same items); stopping rather than yielding them twice.`,
      page,
      context,
    );
  }
  const perPage = resultInfo[names.perPage];
  const total = resultInfo[names.totalCount];
  const count = numberOr(resultInfo[names.count], result.length);
  const last =
    result.length === 0 ||
    (typeof perPage === 'number' && typeof total === 'number' && page * perPage >= total) ||
    (typeof perPage === 'number' && count < perPage);
  return { items: result, last, fingerprint };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function numberOr(value: unknown, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : fallback;
}

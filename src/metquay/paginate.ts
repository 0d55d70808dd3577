import type { paths } from '../../generated/metquay';
import { RateLimitError, TokenError, TokensmithError, InvalidArgumentError } from '../core/errors';
import type { MetquayApi } from './api';
import { parseRetryAfterMs } from '../core/retry-after';

/** The JSON body of a response map's 200 answer. */
export type JsonOk<R> = R extends { 200: { content: { 'application/json': infer B } } } ? B : never;

/** Paths whose GET answers a JSON array and pages with `first`/`limit`, e.g. `/customers`. */
export type MetquayListPath = {
  [P in keyof paths]: paths[P] extends {
    get: { parameters: { query?: { first?: number; limit?: number } }; responses: infer R };
  }
    ? JsonOk<R> extends readonly unknown[]
      ? P
      : never
    : never;
}[keyof paths];

/** One item of the list `P` answers. */
export type MetquayListItem<P extends MetquayListPath> = paths[P] extends { get: { responses: infer R } }
  ? JsonOk<R> extends readonly (infer Item)[]
    ? Item
    : never
  : never;

/** Options of {@link paginate}. */
export interface PaginateOptions {
  /** Page size asked for; the walk ends at the first page shorter than this. Default 50 (the spec's). */
  limit?: number;
  /** Index of the first item. Default 0. */
  first?: number;
  /** Aborts the walk between or during page requests. */
  signal?: AbortSignal;
}

/** The spec's default page size. */
export const DEFAULT_PAGE_LIMIT = 50;

/**
 * Walks a Metquay list with `first`/`limit`, yielding items one by one and asking for the next
 * page only when the current one is used up; ends after the first short (or empty) page. A failed
 * page throws a typed error: `TokenError` for a 401 that survived re-authentication,
 * `RateLimitError` for a 429 that outlasted the retries, else a `TokensmithError` with the status.
 *
 * @example
 * ```ts
 * for await (const customer of paginate(api, '/customers', { limit: 100 })) console.log(customer.id);
 * ```
 */
export async function* paginate<P extends MetquayListPath>(
  api: MetquayApi,
  path: P,
  options: PaginateOptions = {},
): AsyncGenerator<MetquayListItem<P>, void, undefined> {
  const limit = options.limit ?? DEFAULT_PAGE_LIMIT;
  let first = options.first ?? 0;
  if (!Number.isInteger(limit) || limit < 1) throw new InvalidArgumentError(40003, '"limit" must be a positive integer');
  if (!Number.isInteger(first) || first < 0) throw new InvalidArgumentError(40003, '"first" must be a non-negative integer');
  for (;;) {
    const { data, error, response } = await api.GET(path as '/customers', {
      params: { query: { first, limit } },
      ...(options.signal ? { signal: options.signal } : {}),
    });
    if (error !== undefined || !response.ok) throw pageError(path, response, error);
    if (!Array.isArray(data)) {
      throw new TokensmithError(50002, `Metquay GET ${path} answered something other than a JSON array`, { statusCode: 502 });
    }
    for (const item of data) yield item as MetquayListItem<P>;
    if (data.length === 0 || data.length < limit) return;
    first += data.length;
  }
}

function pageError(path: string, response: Response, body: unknown): TokensmithError {
  const { status } = response;
  const message = typeof (body as { message?: unknown } | undefined)?.message === 'string' ? (body as { message: string }).message : '';
  const said = message ? `: ${message.slice(0, 200)}` : '';
  const text = `Metquay GET ${path} failed (${status})${said}`;
  if (status === 401) return new TokenError(40140, text, { statusCode: 401 });
  if (status === 429) return new RateLimitError(text, parseRetryAfterMs(response.headers.get('retry-after')), { statusCode: 429 });
  return new TokensmithError(status >= 500 ? 50000 : status * 100, text, { statusCode: status });
}

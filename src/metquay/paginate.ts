import type { paths } from '../../generated/metquay';
import { AuthProviderError, InvalidArgumentError, type TokensmithError } from '../core/errors';
import { errorFromAnswer } from '../core/response-error';
import type { MetquayApi } from './api';

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
  limit?: number | undefined;
  /** Index of the first item. Default 0. */
  first?: number | undefined;
  /** Aborts the walk between or during page requests. */
  signal?: AbortSignal | undefined;
}

/** The spec's default page size. */
export const DEFAULT_PAGE_LIMIT = 50;

/**
 * Walks a Metquay list with `first`/`limit`, yielding items one by one and asking for the next
 * page only when the current one is used up; ends after the first short (or empty) page. A failed
 * page throws core's typed error for the condition: `TokenError` 40140 for a 401 that survived
 * re-authentication, `RateLimitError` for a 429 that outlasted the retries, `ServerError` for a
 * 5xx, and so on; the server's message is quoted shortened.
 *
 * @example
 * ```ts
 * for await (const customer of paginate(api, '/customers', { limit: 100 })) console.log(customer.id);
 * ```
 */
export function paginate<P extends MetquayListPath>(
  api: MetquayApi,
  path: P,
  options: PaginateOptions = {},
): AsyncGenerator<MetquayListItem<P>, void, undefined> {
  return paginateRedacting(api, path, options, NO_SECRETS);
}

const NO_SECRETS = (): readonly string[] => [];

/** {@link paginate}, scrubbing `secrets()` (the client's secret key and token) from quoted server messages. @internal */
export async function* paginateRedacting<P extends MetquayListPath>(
  api: MetquayApi,
  path: P,
  options: PaginateOptions,
  secrets: () => readonly string[],
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
    if (error !== undefined || !response.ok) throw pageError(path, response, error, secrets());
    if (!Array.isArray(data)) {
      throw new AuthProviderError(50002, `Metquay GET ${path} answered something other than a JSON array`, { statusCode: 502 });
    }
    for (const item of data) yield item as MetquayListItem<P>;
    if (data.length === 0 || data.length < limit) return;
    first += data.length;
  }
}

/** Core's mapper, on the body openapi-fetch already read (bounded by the client's first middleware). */
function pageError(path: string, response: Response, body: unknown, secrets: readonly string[]): TokensmithError {
  return errorFromAnswer(response.status, response.headers, body, { what: `Metquay GET ${path}`, secrets, refused: 'token' });
}

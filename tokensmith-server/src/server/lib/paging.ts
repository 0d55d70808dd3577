import type { FastifyReply } from 'fastify';
import { TokensmithError } from 'tokensmith';

/**
 * Ably's paging, built once for every paged route (history, presence, presence history, stats):
 * the same query rules and the same `Link` header. The official SDKs read the header's
 * `./<word>?<query>` links (rel `first`, `current`, `next`) and send the query back to the path
 * they first called, so a link only needs the right query.
 *
 * A next page is found from a cursor (the sort key of the last item served), not an offset, so a
 * next link stays valid while new items arrive.
 */

/** The paging part of a query, after defaults. */
export interface PageQuery {
  /** Most items in one page (1–1000, default 100). */
  limit: number;
  /** `backwards` (newest first, the default) or `forwards`. */
  direction: 'forwards' | 'backwards';
  /** Earliest time to include, ms. */
  start?: number;
  /** Latest time to include, ms. */
  end?: number;
  /** Where the previous page stopped (the sort key of its last item), when following a next link. */
  cursor?: number;
}

/** The query parameters a paged route takes, as the generated schema leaves them. */
export interface RawPageQuery {
  limit?: number;
  direction?: 'forwards' | 'backwards';
  start?: number;
  end?: number;
  cursor?: string;
}

/** Default and maximum of `limit`, as Ably documents them. */
export const DEFAULT_PAGE_LIMIT = 100;

/**
 * Reads the paging part of a query: `start` after `end` is refused (40003), as is a cursor that
 * is not one a next link carried.
 */
export function pageQuery(raw: RawPageQuery, defaultLimit = DEFAULT_PAGE_LIMIT): PageQuery {
  if (raw.start !== undefined && raw.end !== undefined && raw.start > raw.end) {
    throw new TokensmithError(40003, 'query.start must not be after query.end');
  }
  let cursor: number | undefined;
  if (raw.cursor !== undefined) {
    cursor = /^\d{1,15}$/.test(raw.cursor) ? Number(raw.cursor) : Number.NaN;
    if (Number.isNaN(cursor)) throw new TokensmithError(40003, 'query.cursor is not one a next link carried; follow the Link header');
  }
  return {
    limit: raw.limit ?? defaultLimit,
    direction: raw.direction ?? 'backwards',
    ...(raw.start === undefined ? {} : { start: raw.start }),
    ...(raw.end === undefined ? {} : { end: raw.end }),
    ...(cursor === undefined ? {} : { cursor }),
  };
}

/** An item with its sort key (a serial: unique and increasing in arrival order). */
export interface Keyed<T> {
  key: number;
  time: number;
  item: T;
}

/** One page and the cursor of the next, when there are more. */
export interface Page<T> {
  items: T[];
  nextCursor?: number;
}

/**
 * Pages `all` (oldest first, keys increasing): keeps the items in `[start, end]` past the cursor in
 * the query's direction, and at most `limit` of them.
 */
export function pageOf<T>(all: ReadonlyArray<Keyed<T>>, query: PageQuery): Page<T> {
  const forwards = query.direction === 'forwards';
  const picked: Array<Keyed<T>> = [];
  let more = false;
  for (let i = forwards ? 0 : all.length - 1; forwards ? i < all.length : i >= 0; i += forwards ? 1 : -1) {
    const entry = all[i] as Keyed<T>;
    if (query.cursor !== undefined && (forwards ? entry.key <= query.cursor : entry.key >= query.cursor)) continue;
    if ((query.start !== undefined && entry.time < query.start) || (query.end !== undefined && entry.time > query.end)) continue;
    if (picked.length === query.limit) {
      more = true;
      break;
    }
    picked.push(entry);
  }
  const last = picked[picked.length - 1];
  return { items: picked.map((entry) => entry.item), ...(more && last ? { nextCursor: last.key } : {}) };
}

/**
 * Sets the `Link` header of a page: `first` (the query without a cursor), `current` (the query as
 * asked) and `next` (the query with the next cursor) when there is more. `resource` is the last
 * path segment (`messages`, `history`, `presence`, `stats`); `extra` holds the route's own
 * parameters (`unit`, `clientId`…) so every link keeps them.
 */
export function setPageLinks(
  reply: FastifyReply,
  resource: string,
  query: PageQuery,
  nextCursor: number | undefined,
  extra: Readonly<Record<string, string | undefined>> = {},
): void {
  const base = new URLSearchParams();
  for (const [name, value] of Object.entries(extra)) if (value !== undefined) base.set(name, value);
  base.set('limit', String(query.limit));
  base.set('direction', query.direction);
  if (query.start !== undefined) base.set('start', String(query.start));
  if (query.end !== undefined) base.set('end', String(query.end));
  const link = (cursor: number | undefined, rel: string): string => {
    const params = new URLSearchParams(base);
    if (cursor !== undefined) params.set('cursor', String(cursor));
    return `<./${resource}?${params.toString()}>; rel="${rel}"`;
  };
  const links = [link(undefined, 'first'), link(query.cursor, 'current')];
  if (nextCursor !== undefined) links.push(link(nextCursor, 'next'));
  reply.header('link', links.join(', '));
}

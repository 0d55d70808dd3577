import type { FastifyReply, FastifyRequest } from 'fastify';
import { TokensmithError } from 'tokensmith';
import { pageQuery, setPageLinks, type RawPageQuery } from '../lib/paging';
import { responseFormat, sendWire } from '../lib/wire';
import type { AblyApps } from './apps';
import { authenticate } from './authenticate';
import { intervalEnd, parseIntervalId, type StatsUnit } from './stats';

/**
 * `GET /stats`: needs `stats` on some resource (or `*`); pages with the shared rules, intervals of
 * `unit` (or its older name `by`), `start`/`end` in ms or as interval ids (RSC6b4).
 */
export async function statsPage(request: FastifyRequest, reply: FastifyReply, apps: AblyApps): Promise<FastifyReply> {
  const state = apps.forRequest(request);
  const principal = await authenticate(request, state);
  if (!Object.values(principal.capability).some((operations) => operations.includes('stats') || operations.includes('*'))) {
    throw new TokensmithError(40160, 'operation not permitted: stats is outside the capability');
  }
  const raw = request.query as RawPageQuery & { unit?: StatsUnit; by?: StatsUnit; start?: number | string; end?: number | string };
  const unit = raw.unit ?? raw.by ?? 'minute';
  const start = statsTime(raw.start, 'start');
  const end = statsTime(raw.end, 'end');
  const query = { ...pageQuery({ ...raw, start, end }), unit };
  const page = state.stats.read(query, state.clock.now());
  setPageLinks(reply, 'stats', query, page.nextCursor, { unit });
  return sendWire(reply, 200, page.items, responseFormat(request));
}

// RSC6b4: `start` and `end` may be ms or interval ids; an id's end is the end of its interval.
function statsTime(value: number | string | undefined, field: 'start' | 'end'): number | undefined {
  if (value === undefined || typeof value === 'number') return value;
  if (/^\d{1,15}$/.test(value)) return Number(value);
  const interval = parseIntervalId(value);
  if (!interval) throw new TokensmithError(40003, `query.${field} must be ms since the epoch or an interval id such as 2024-02-03:15:04`);
  return field === 'start' ? interval.start : intervalEnd(interval.start, interval.unit);
}

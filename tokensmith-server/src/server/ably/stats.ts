import type { AblyComponents } from 'tokensmith';
import { BoundedStore } from '../lib/bounded-store';
import { pageOf, type Page, type PageQuery } from '../lib/paging';

type Stats = AblyComponents['schemas']['Stats'];
/** The counters a local server keeps (a documented subset of Ably's stats entries). */
export type StatsCounter =
  | 'messages.all.all.count'
  | 'messages.all.all.data'
  | 'apiRequests.all.succeeded'
  | 'apiRequests.all.failed'
  | 'apiRequests.tokenRequests.succeeded'
  | 'apiRequests.tokenRequests.failed';
/** Interval lengths `GET /stats` aggregates over. */
export type StatsUnit = Stats['unit'];

/** The schema every stats entry names, as Ably's entries do (TS12s). */
export const STATS_SCHEMA = 'https://schemas.ably.com/json/app-stats-0.0.5.json';

const MINUTE_MS = 60_000;

/** One minute's counters and their estimated bytes. */
interface Minute {
  /** Null prototype: counter names come from the network (stats fixtures). */
  readonly counts: Record<string, number>;
  bytes: number;
}

// Per-minute and per-counter bookkeeping beyond the names, estimated.
const MINUTE_OVERHEAD_BYTES = 128;
const COUNTER_OVERHEAD_BYTES = 32;
/** Default byte bound of the counters (names from stats fixtures included). */
export const DEFAULT_STATS_BYTES = 4 * 1024 * 1024;

/**
 * Per-minute counters, aggregated to hours, days and months when read. Bounded: the `maxMinutes`
 * minutes counted last (default a day: about 1 440 small objects) and `maxBytes` of counters
 * (their names estimated at 2 bytes a character); past either the minute counted first goes.
 */
export class StatsLog {
  private readonly minutes: BoundedStore<number, Minute>;

  constructor(
    private readonly appId: string,
    maxMinutes = 1_440,
    maxBytes = DEFAULT_STATS_BYTES,
  ) {
    this.minutes = new BoundedStore<number, Minute>({ maxEntries: maxMinutes, maxBytes, sizeOf: (_minute, held) => held.bytes });
  }

  /** Estimated bytes held; at most `maxBytes`. */
  get bytes(): number {
    return this.minutes.bytes;
  }

  /** Adds `amount` to `counter` in the minute holding `now`. */
  count(counter: StatsCounter | (string & {}), amount: number, now: number): void {
    const minute = Math.floor(now / MINUTE_MS) * MINUTE_MS;
    const held = this.minutes.get(minute);
    if (held !== undefined && counter in held.counts) {
      held.counts[counter] = (held.counts[counter] as number) + amount;
      return;
    }
    const counts = held?.counts ?? (Object.create(null) as Record<string, number>);
    counts[counter] = amount;
    const bytes = (held?.bytes ?? MINUTE_OVERHEAD_BYTES) + COUNTER_OVERHEAD_BYTES + 2 * counter.length;
    if (held === undefined) this.minutes.addAbsent(minute, { counts, bytes });
    else {
      held.bytes = bytes;
      this.minutes.update(minute, held);
    }
  }

  /**
   * One page of intervals. The cursor of a next page is an interval's start; `start` counts from
   * the interval holding it.
   */
  read(query: PageQuery, unit: StatsUnit, now: number): Page<Stats> {
    const byInterval = new Map<number, Record<string, number>>();
    for (const [minute, { counts }] of this.minutes.all()) {
      const start = intervalStart(minute, unit);
      const total = byInterval.get(start) ?? (Object.create(null) as Record<string, number>);
      for (const name in counts) total[name] = (total[name] ?? 0) + (counts[name] as number);
      byInterval.set(start, total);
    }
    const keyed = [...byInterval.keys()].sort((a, b) => a - b).map((start) => ({ key: start, time: start, item: start }));
    const page = pageOf(keyed, {
      ...query,
      ...(query.start === undefined ? {} : { start: intervalStart(query.start, unit) }),
      end: query.end ?? now,
    });
    const current = intervalStart(now, unit);
    const items = page.items.map((start): Stats => ({
      intervalId: intervalId(start, unit),
      unit: unit,
      appId: this.appId,
      schema: STATS_SCHEMA,
      ...(start === current ? { inProgress: intervalId(start, unit) } : {}),
      entries: byInterval.get(start) as Record<string, number>,
    }));
    return { items, ...(page.nextCursor === undefined ? {} : { nextCursor: page.nextCursor }) };
  }

  /** Adds each of `entries` to its counter in the minute holding `at` (the sandbox's stats fixtures). */
  add(entries: Readonly<Record<string, number>>, at: number): void {
    for (const [counter, amount] of Object.entries(entries)) this.count(counter, amount, at);
  }

  /** Forgets every count. */
  clear(): void {
    this.minutes.clear();
  }
}

function intervalStart(ms: number, unit: StatsUnit): number {
  const date = new Date(ms);
  if (unit === 'minute') return Math.floor(ms / MINUTE_MS) * MINUTE_MS;
  if (unit === 'hour') return Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate(), date.getUTCHours());
  if (unit === 'day') return Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate());
  return Date.UTC(date.getUTCFullYear(), date.getUTCMonth());
}

// Ably's interval ids: yyyy-mm-dd:hh:mm, yyyy-mm-dd:hh, yyyy-mm-dd, yyyy-mm.
function intervalId(start: number, unit: StatsUnit): string {
  const iso = new Date(start).toISOString();
  const day = iso.slice(0, 10);
  if (unit === 'minute') return `${day}:${iso.slice(11, 13)}:${iso.slice(14, 16)}`;
  if (unit === 'hour') return `${day}:${iso.slice(11, 13)}`;
  if (unit === 'day') return day;
  return iso.slice(0, 7);
}

/**
 * The start of an interval id (`yyyy-mm-dd:hh:mm`, `yyyy-mm-dd:hh`, `yyyy-mm-dd`, `yyyy-mm`), and
 * the length of that interval's unit; undefined when `text` is not one.
 */
export function parseIntervalId(text: string): { start: number; unit: StatsUnit } | undefined {
  const match = /^(\d{4})-(\d{2})(?:-(\d{2})(?::(\d{2})(?::(\d{2}))?)?)?$/.exec(text);
  if (!match) return undefined;
  const [, year, month, day, hour, minute] = match.map((part) => (part === undefined ? undefined : Number(part)));
  const start = Date.UTC(year as number, (month as number) - 1, day ?? 1, hour ?? 0, minute ?? 0);
  if (Number.isNaN(start)) return undefined;
  const unit: StatsUnit = minute !== undefined ? 'minute' : hour !== undefined ? 'hour' : day !== undefined ? 'day' : 'month';
  return { start, unit };
}

/** The last millisecond of the interval that starts at `start`. */
export function intervalEnd(start: number, unit: StatsUnit): number {
  if (unit === 'minute') return start + MINUTE_MS - 1;
  if (unit === 'hour') return start + 60 * MINUTE_MS - 1;
  if (unit === 'day') return start + 24 * 60 * MINUTE_MS - 1;
  const date = new Date(start);
  return Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1) - 1;
}

import type { components } from '../../../../generated/ably';

type Stats = components['schemas']['Stats'];
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

/** Which intervals to read. */
export interface StatsQuery {
  start?: number;
  end?: number;
  direction: 'forwards' | 'backwards';
  limit: number;
  unit: StatsUnit;
}

const MINUTE_MS = 60_000;

/**
 * Per-minute counters, aggregated to hours, days and months when read. Bounded: the newest
 * `maxMinutes` minutes with any count are kept (default a day: about 1 440 small objects).
 */
export class StatsLog {
  private readonly minutes = new Map<number, Partial<Record<StatsCounter, number>>>();

  constructor(
    private readonly appId: string,
    private readonly maxMinutes = 1_440,
  ) {}

  /** Adds `amount` to `counter` in the minute holding `now`. */
  count(counter: StatsCounter, amount: number, now: number): void {
    const minute = Math.floor(now / MINUTE_MS) * MINUTE_MS;
    let entries = this.minutes.get(minute);
    if (!entries) {
      entries = {};
      this.minutes.set(minute, entries);
      if (this.minutes.size > this.maxMinutes) this.minutes.delete(Math.min(...this.minutes.keys()));
    }
    entries[counter] = (entries[counter] ?? 0) + amount;
  }

  /** One page of intervals, and the query for the next page when there is one. */
  read(query: StatsQuery, now: number): { items: Stats[]; next?: StatsQuery } {
    const byInterval = new Map<number, Record<string, number>>();
    for (const [minute, entries] of this.minutes) {
      const start = intervalStart(minute, query.unit);
      if ((query.start !== undefined && start < intervalStart(query.start, query.unit)) || start > (query.end ?? now)) continue;
      const total = byInterval.get(start) ?? {};
      for (const [name, value] of Object.entries(entries)) total[name] = (total[name] ?? 0) + value;
      byInterval.set(start, total);
    }
    const starts = [...byInterval.keys()].sort((a, b) => (query.direction === 'forwards' ? a - b : b - a));
    const page = starts.slice(0, query.limit);
    const current = intervalStart(now, query.unit);
    const items = page.map((start): Stats => ({
      intervalId: intervalId(start, query.unit),
      unit: query.unit,
      appId: this.appId,
      ...(start === current ? { inProgress: intervalId(start, query.unit) } : {}),
      entries: byInterval.get(start) as Record<string, number>,
    }));
    const last = page[page.length - 1];
    if (starts.length <= query.limit || last === undefined) return { items };
    const next = query.direction === 'forwards' ? { ...query, start: nextIntervalStart(last, query.unit) } : { ...query, end: last - 1 };
    return { items, next };
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

function nextIntervalStart(start: number, unit: StatsUnit): number {
  if (unit === 'minute') return start + MINUTE_MS;
  if (unit === 'hour') return start + 60 * MINUTE_MS;
  if (unit === 'day') return start + 24 * 60 * MINUTE_MS;
  const date = new Date(start);
  return Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1);
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

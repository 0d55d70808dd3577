import type { AutocannonResult } from './autocannon';
import { progress } from './child';
import type { ServerMemory, ServerProcess } from './server-process';
import { formatBytes, formatCount, round } from './stats';

/** Memory of a server process after a given number of requests. */
export interface SoakCheckpoint {
  requests: number;
  /** Seconds since the soak began. */
  seconds: number;
  rssBytes: number;
  heapUsedBytes: number;
  heapTotalBytes: number;
  externalBytes: number;
  /** Throughput since the previous checkpoint. */
  reqPerSec: number;
  /** The server's CPU time (user + system) per request since the previous checkpoint, µs. */
  cpuMicrosPerRequest: number;
}

/** What {@link soak} measured. */
export interface SoakResult {
  start: ServerMemory;
  checkpoints: SoakCheckpoint[];
  sent: number;
  failed: number;
  /** True when the time cap stopped it before `requests`. */
  capped: boolean;
}

/** Options of {@link soak}. */
export interface SoakOptions {
  /** Requests to send in all. */
  requests: number;
  /** Memory readings, evenly spaced. */
  checkpoints: number;
  /** Stops (and says so) after this long. */
  maxSeconds: number;
  /** Requests per autocannon run; the time cap is checked between runs. */
  chunk: number;
  /** Sends `amount` requests and resolves with autocannon's result. */
  load: (amount: number) => Promise<AutocannonResult>;
  /** Label for progress lines. */
  label: string;
}

/** Sends `requests` requests in chunks, reading the server's memory (after a GC) at each checkpoint. */
export async function soak(server: ServerProcess, options: SoakOptions): Promise<SoakResult> {
  const step = Math.ceil(options.requests / options.checkpoints);
  const start = await server.memory();
  const checkpoints: SoakCheckpoint[] = [];
  const began = Date.now();
  let sent = 0;
  let failed = 0;
  let window = { requests: 0, seconds: 0, cpuMicros: await server.cpuMicros() };
  while (sent < options.requests) {
    if ((Date.now() - began) / 1000 > options.maxSeconds) return { start, checkpoints, sent, failed, capped: true };
    const nextCheckpoint = Math.min(options.requests, (Math.floor(sent / step) + 1) * step);
    const amount = Math.min(options.chunk, nextCheckpoint - sent);
    const result = await options.load(amount);
    sent += amount;
    failed += result.non2xx + result.errors + result.timeouts;
    window = { ...window, requests: window.requests + amount, seconds: window.seconds + result.duration };
    if (sent === nextCheckpoint) {
      // CPU first: reading memory forces two GCs, which belong to no request.
      const cpuMicros = await server.cpuMicros();
      const memory = await server.memory();
      const reqPerSec = round(window.requests / window.seconds);
      const cpuMicrosPerRequest = round((cpuMicros - window.cpuMicros) / window.requests);
      checkpoints.push({ requests: sent, seconds: round((Date.now() - began) / 1000), rssBytes: memory.rss, heapUsedBytes: memory.heapUsed, heapTotalBytes: memory.heapTotal, externalBytes: memory.external, reqPerSec, cpuMicrosPerRequest });
      progress(`${options.label}: ${formatCount(sent)} requests, RSS ${formatBytes(memory.rss)}, heap ${formatBytes(memory.heapUsed)} of ${formatBytes(memory.heapTotal)}, ${formatCount(reqPerSec)} req/s, ${cpuMicrosPerRequest} µs CPU/request`);
      window = { requests: 0, seconds: 0, cpuMicros: await server.cpuMicros() };
    }
  }
  return { start, checkpoints, sent, failed, capped: false };
}

/** Largest RSS among checkpoints at or past `from` requests, relative to the first of them; NaN when fewer than two. */
export function rssGrowth(checkpoints: readonly SoakCheckpoint[], from: number): { growth: number; baseline?: SoakCheckpoint; peak: number } {
  const compared = checkpoints.filter((c) => c.requests >= from);
  const baseline = compared[0];
  if (!baseline || compared.length < 2) return { growth: Number.NaN, peak: Number.NaN };
  const peak = Math.max(...compared.map((c) => c.rssBytes));
  return { growth: peak / baseline.rssBytes - 1, baseline, peak };
}

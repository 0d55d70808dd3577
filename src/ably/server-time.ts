import type { Clock } from '../core/clock';
import { fetchServerTime, type AblyHttp } from './http';

/**
 * The client's view of Ably's time [RSA10k]: a clock whose offset is set from `GET /time` once
 * `queryTime` asks for it (or a 40104 says the local clock is off), shared by every token source
 * of one client. Concurrent resyncs share one request.
 */
export class ServerTime {
  /** The clock every token of this client is measured on. */
  readonly clock: Clock;
  readonly #http: AblyHttp;
  #known = false;
  #sync: Promise<void> | undefined;

  constructor(clock: Clock, http: AblyHttp) {
    this.clock = clock;
    this.#http = http;
  }

  /** True once the offset was read from the server. */
  get known(): boolean {
    return this.#known;
  }

  /** Server time when `queryTime` (querying `/time` the first time), else the clock; sync when no query is needed. */
  timestamp(queryTime: boolean, signal: AbortSignal): number | Promise<number> {
    if (!queryTime || this.#known) return this.clock.now();
    return this.resync(signal).then(() => this.clock.now());
  }

  /** Queries `GET /time` and keeps the offset, whatever was known before. */
  resync(signal: AbortSignal): Promise<void> {
    this.#sync ??= this.#query(signal).finally(() => {
      this.#sync = undefined;
    });
    return this.#sync;
  }

  async #query(signal: AbortSignal): Promise<void> {
    const hostBefore = this.clock.now() - this.clock.offsetMs;
    const serverTime = await fetchServerTime(this.#http, signal);
    const hostAfter = this.clock.now() - this.clock.offsetMs;
    this.clock.setOffset(serverTime - Math.round((hostBefore + hostAfter) / 2));
    this.#known = true;
  }
}

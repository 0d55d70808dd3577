/**
 * Shapes the test controls exchange over HTTP. Web-safe: the admin client imports only these.
 */

/** One request the server answered. Never carries headers, query strings or bodies. */
export interface RequestLogEntry {
  /** HTTP method. */
  method: string;
  /** URL path without the query string. */
  path: string;
  /** Status code sent. */
  status: number;
  /** Time from receipt to response, in ms. */
  durationMs: number;
  /** Server time (with any skew) when the response was sent, ms since the epoch. */
  at: number;
}

/**
 * Makes the next `count` requests matching `path` (and `method`, when given) wait `delayMs`
 * and/or fail with `status`. Without `status` the request proceeds normally after the delay.
 */
export interface FaultSpec {
  /** Exact URL path (`/time`, `/api/v1/authenticate`), or a prefix ending in `*` (`/channels/*`). Give this, `operation`, or both. */
  path?: string;
  /** `tokensmith serve --spec` only: the operation, by `operationId` or as `"GET /customers/{id}"` (the spec's template). */
  operation?: string;
  /** Only this HTTP method; any when absent. */
  method?: string;
  /** How many matching requests are affected. Default 1, at most 1000. */
  count?: number;
  /** HTTP status to answer with (400–599); the request is not processed. */
  status?: number;
  /** Wait this long first, in ms (at most 60 000). */
  delayMs?: number;
  /** Ably error code for the envelope; default the table's code for the status (`codeForStatus`: 500 -> 50000, 429 -> 42910). Ably paths only. */
  code?: number;
  /** Error message; default "injected fault". */
  message?: string;
  /** Sends `Retry-After` with this many seconds (for 429 and 503 tests). */
  retryAfterSeconds?: number;
}

/** A fault still waiting for requests, with how many are left. */
export interface PendingFault extends FaultSpec {
  /** Id returned when it was added. */
  id: string;
  /** Matching requests it will still affect. */
  remaining: number;
}

/** The server clock as the test controls see it. */
export interface ClockState {
  /** Server time now (base clock plus offset), ms since the epoch. */
  now: number;
  /** Current skew from the base clock, ms. */
  offsetMs: number;
}

/** How much the Ably side is holding (to check bounds and resets). */
export interface ServerStats {
  /** Issued tokens held. */
  tokens: number;
  /** Estimated bytes of the token store (tokens and marks); at most `ably.maxTokenStoreBytes`. */
  tokenBytes: number;
  /** Nonces held. */
  nonces: number;
  /** Estimated bytes of the nonce store; at most `ably.maxNonceStoreBytes`. */
  nonceBytes: number;
  /** Channels holding messages. */
  channels: number;
  /** Estimated bytes of every channel log together; at most `ably.maxMessageStoreBytes`. */
  messageBytes: number;
  /** Estimated bytes of the published ids idempotent publishing remembers; at most `ably.maxIdempotencyStoreBytes`. */
  idempotencyBytes: number;
  /** Apps provisioned with `POST /apps`. */
  apps: number;
  requestLog: number;
  /** Estimated bytes of the request log; at most 4 MiB (paths come from the network). */
  requestLogBytes: number;
  pendingFaults: number;
  /** Estimated bytes of the pending faults; at most 1 MiB. */
  pendingFaultBytes: number;
  /** Estimated bytes of the grants remembered per requested capability text; at most 2 MiB. */
  grantBytes: number;
  /**
   * Estimated bytes of the presence members and their history, summed over every app (members
   * come from `POST /apps` fixtures); each app's at most twice `ably.maxMessageStoreBytes`.
   */
  presenceBytes: number;
  /** Estimated bytes of the stats counters, summed over every app (names come from `POST /stats` fixtures); each app's at most 4 MiB. */
  statsBytes: number;
}

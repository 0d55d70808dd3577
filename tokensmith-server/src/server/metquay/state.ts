import { type MetquayServerConfig, type ResolvedMetquayServerConfig, resolveMetquayServerConfig } from './config';
import { buildCustomers, type LocalCustomer } from './customers';
import { FixedWindowRateLimiter } from './rate-limit';
import { MetquayTokenIssuer } from './tokens';

/** The server's time source; the global test controls skew it. */
export interface MetquayServerClock {
  /** Milliseconds since the epoch. */
  now(): number;
}

/**
 * Everything the Metquay side keeps in memory: the token issuer with its expire/revoke marks, the
 * two rate limiters and the customer list. Create one to share between the API plugin and the test
 * controls, or let {@link metquayPlugin} make its own.
 */
export class MetquayServerState {
  /** The resolved configuration. */
  readonly config: ResolvedMetquayServerConfig;
  /** Issues and verifies access tokens. */
  readonly tokens: MetquayTokenIssuer;
  /** Budget per token subject on protected routes. */
  readonly clientLimiter: FixedWindowRateLimiter;
  /** Budget per IP address on `POST /authenticate`. */
  readonly authenticateLimiter: FixedWindowRateLimiter;
  /** The records `GET /customers` serves. */
  readonly customers: readonly LocalCustomer[];
  /** How many tokens `POST /authenticate` has issued since start or the last reset. */
  tokensIssued = 0;

  constructor(
    config: Partial<MetquayServerConfig> = {},
    readonly clock: MetquayServerClock = { now: () => Date.now() },
  ) {
    this.config = resolveMetquayServerConfig(config);
    this.tokens = new MetquayTokenIssuer(this.config.tokenTtlSeconds, () => this.clock.now(), this.config.jwtSecret);
    this.clientLimiter = new FixedWindowRateLimiter(this.config.rateLimitPerMinute);
    this.authenticateLimiter = new FixedWindowRateLimiter(this.config.authenticateRateLimitPerMinute);
    this.customers = buildCustomers(this.config.customerCount);
  }

  /** Clears rate-limit counts, token marks and the issue count. */
  reset(): void {
    this.tokens.reset();
    this.clientLimiter.reset();
    this.authenticateLimiter.reset();
    this.tokensIssued = 0;
  }
}

import type { Clock } from '../core/clock';
import { ConfigurationError } from '../core/errors';
import { checkHttpUrl } from '../core/url';
import type { RetryOptions } from '../core/retry';
import type { SharedTokenStore } from '../core/store-key';
import type { PartialOrUndefined } from '../core/options';
import type { ProviderTokenOptions } from '../core/token-manager-options';

/**
 * Options of {@link MetquayAuth} (and of `createMetquayClient`). `accessKey`, `secretKey` and
 * `baseUrl` accept `undefined` (e.g. `process.env.X` as is): an undefined one is read from its
 * `METQUAY_*` variable, and one missing from both fails construction with 40106 naming it.
 */
export interface MetquayAuthOptions extends ProviderTokenOptions {
  /** Access key of the key pair. Default: the `METQUAY_ACCESS_KEY` environment variable. */
  accessKey?: string | undefined;
  /** Secret key of the key pair. Default: `METQUAY_SECRET_KEY`. Never logged or put in errors. */
  secretKey?: string | undefined;
  /**
   * Base URL of your instance, ending in `/api/v1`. Default: `METQUAY_BASE_URL`. Required: the
   * spec's placeholder host is never used for credentials.
   */
  baseUrl?: string | undefined;
  /** `fetch` used for `/authenticate` and API calls. Default: the global one. */
  fetch?: typeof globalThis.fetch | undefined;
  /** Shares tokens with other processes (a store from `tokensmith/store` or `tokensmith/redis`), keyed by base URL and access key. */
  store?: SharedTokenStore | undefined;
  /** Clock the token lifetime is measured on. Default: a new `SystemClock`. */
  clock?: Clock | undefined;
  /** Timeout of one `/authenticate` attempt, in ms. Default: core's (10 s). */
  fetchTimeoutMs?: number | undefined;
  /** Retry of transient `/authenticate` failures (network, 5xx, 429); merged over core's. */
  retry?: PartialOrUndefined<RetryOptions> | undefined;
  /**
   * Longest `Retry-After` a 429 is waited out for, in ms, on `/authenticate` and on API calls; a
   * longer one is not waited for (the 429 is returned or thrown at once).
   */
  maxRetryAfterMs?: number | undefined;
  /** How many times one API call is re-sent after a 429. */
  maxRateLimitRetries?: number | undefined;
  /**
   * Where the `METQUAY_*` variables are read from. Default: `process.env` when there is one
   * (Node), else nothing.
   */
  env?: Readonly<Record<string, string | undefined>> | undefined;
}

/** Defaults merged under {@link MetquayAuthOptions}. */
export const DEFAULT_METQUAY_AUTH_OPTIONS = /* @__PURE__ */ Object.freeze({
  /** A minute: Metquay's rate-limit window, so one wait always suffices. */
  maxRetryAfterMs: 60_000,
  maxRateLimitRetries: 2,
  /** Metquay's documented token lifetime, used when neither `expiresIn` nor `exp` says. */
  defaultTokenLifetimeSeconds: 900,
});

/** The names of the environment variables {@link MetquayAuth} reads. */
export const METQUAY_ENV = /* @__PURE__ */ Object.freeze({
  accessKey: 'METQUAY_ACCESS_KEY',
  secretKey: 'METQUAY_SECRET_KEY',
  baseUrl: 'METQUAY_BASE_URL',
});

/** Credentials and base URL after options and environment are merged. */
export interface MetquayCredentials {
  accessKey: string;
  secretKey: string;
  /** Without a trailing slash. */
  baseUrl: string;
}

/**
 * Takes each of accessKey, secretKey and baseUrl from the options, else the environment.
 *
 * @throws ConfigurationError 40106 naming every missing one (option and variable), never a value;
 *   40003 when baseUrl is not an http(s) URL.
 */
export function resolveMetquayCredentials(options: MetquayAuthOptions): MetquayCredentials {
  const env = options.env ?? processEnv();
  const missing: string[] = [];
  const pick = (field: keyof typeof METQUAY_ENV): string => {
    const name = METQUAY_ENV[field];
    let readable = true;
    let value = options[field];
    if (value === undefined) {
      try {
        value = env[name];
      } catch {
        // A runtime that guards the environment (Deno without --allow-env) throws on the read.
        readable = false;
      }
    }
    if (typeof value === 'string' && value.trim() !== '') return value;
    missing.push(`${field} (option or ${name}${readable ? '' : ', which this runtime did not allow to be read'})`);
    return '';
  };
  const credentials = { accessKey: pick('accessKey'), secretKey: pick('secretKey'), baseUrl: pick('baseUrl') };
  if (missing.length > 0) {
    throw new ConfigurationError(40106, `Metquay credentials missing: ${missing.join(', ')}`);
  }
  return { ...credentials, baseUrl: checkHttpUrl(credentials.baseUrl, 'baseUrl') };
}

function processEnv(): Readonly<Record<string, string | undefined>> {
  const nodeProcess = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process;
  return nodeProcess?.env ?? {};
}

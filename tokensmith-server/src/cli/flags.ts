import { ConfigurationError, InvalidCredentialsError } from 'tokensmith';

/**
 * Checks of the values a user types, made before they reach the library so that an error names
 * what the user typed (`--url`, `ABLY_KEY`) rather than the option it becomes (`baseUrl`, `key`).
 * Messages name the flag or variable, never its value: a key or a URL may hold a secret.
 */

/** `value` as an absolute http(s) URL with no user name or password; `source` is the flag or variable it came from. */
export function httpUrl(value: string, source: string, example: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigurationError(40003, `${source} must be an absolute http(s) URL, e.g. ${example}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ConfigurationError(40003, `${source} must be an http(s) URL, not ${url.protocol.slice(0, 20)}; e.g. ${example}`);
  }
  if (url.username !== '' || url.password !== '') {
    throw new ConfigurationError(40003, `${source} must not hold a user name or password; credentials come from their own flags or variables`);
  }
  return value;
}

const ABLY_KEY_SHAPE = /^[^.:\s]+\.[^:\s]+:\S+$/;

/** An Ably key shaped `appId.keyId:keySecret`; `source` is `--key` or `ABLY_KEY`. */
export function ablyKey(value: string, source: string): string {
  if (!ABLY_KEY_SHAPE.test(value)) throw new InvalidCredentialsError(`${source} must look like appId.keyId:keySecret`);
  return value;
}

/** `--capability` as JSON text of an object mapping each resource to a non-empty array of operation names. */
export function capabilityJson(value: string): string {
  const shape = `--capability must be a JSON object of resource -> operations, e.g. '{"chat:*":["publish","subscribe"]}'`;
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    throw new ConfigurationError(40003, `${shape}; it is not valid JSON`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new ConfigurationError(40003, shape);
  for (const operations of Object.values(parsed)) {
    if (!Array.isArray(operations) || operations.length === 0 || !operations.every((operation) => typeof operation === 'string')) {
      throw new ConfigurationError(40003, `${shape}; every resource needs a non-empty array of operation names`);
    }
  }
  return value;
}

/** `--client-id`: a non-empty string. */
export function clientId(value: string): string {
  if (value === '') throw new ConfigurationError(40012, '--client-id must not be empty; leave it out for a token with no clientId');
  return value;
}

/** `--ttl` in milliseconds: a positive integer. */
export function ttlMs(value: string): number {
  const ttl = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(ttl) || ttl <= 0) {
    throw new ConfigurationError(40003, '--ttl must be a positive integer of milliseconds');
  }
  return ttl;
}

import { readFile } from 'node:fs/promises';
import { parseCapability, type CapabilityInput, type PartialOrUndefined, TokensmithError, withoutUndefined } from 'tokensmith';
import { assertValidCapability, type CapabilityMap } from './ably/capability-rules';
import { DEFAULT_CORS_CONFIG, resolveCorsConfig, type CorsConfig } from './lib/cors';
import { DEFAULT_ALLOWED_HOSTS, resolveAllowedHosts, type AllowedHosts } from './lib/host-check';
import { invalidOption, positiveInteger } from './lib/checks';
import {
  DEFAULT_METQUAY_SERVER_CONFIG,
  resolveMetquayServerConfig,
  type MetquayServerConfig,
  type ResolvedMetquayServerConfig,
} from './metquay/config';
import { DEFAULT_OAUTH2_SERVER_CONFIG, resolveOAuth2ServerConfig, type OAuth2ServerConfig, type ResolvedOAuth2ServerConfig } from './oauth2/config';

/**
 * The local server's configuration: Ably keys, Metquay clients, and the limits that keep every
 * in-memory store bounded. Give a partial object (or a JSON file of one); everything but the
 * credentials has a default in {@link DEFAULT_SERVER_CONFIG}.
 */

/** One Ably API key the server accepts. */
export interface AblyKeyConfig {
  /** The full key, `<appId>.<keyId>:<keySecret>`. */
  key: string;
  /** What the key may do, as an object or JSON text. Default `{"*":["*"]}`. */
  capability?: CapabilityInput | undefined;
  /** Lets `revokeTokens` revoke the tokens this key issues (as Ably's key setting). Default false. */
  revocableTokens?: boolean | undefined;
}

/** The Ably side. */
export interface AblyServerConfig {
  /** Keys accepted for Basic auth, signed TokenRequests and Ably JWTs. Default none. */
  keys: AblyKeyConfig[];
  /** Token lifetime when a request names no `ttl`, in ms. Default 60 minutes. */
  defaultTtlMs: number;
  /** Longest `ttl` granted; a longer one is refused with 40003. Default 24 hours. */
  maxTtlMs: number;
  /** How far a TokenRequest `timestamp` may be from server time, either way, in ms. Default 10 minutes. */
  timestampWindowMs: number;
  /** Nonces remembered for replay detection. Default 100 000. */
  maxNonces: number;
  /** Issued tokens remembered; the oldest are forgotten (then 40143) past this. Default 100 000. */
  maxTokens: number;
  /** Channels with a message log; the least recently used is dropped past this. Default 1 000. */
  maxChannels: number;
  /** Messages kept per channel; the oldest are dropped past this. Default 1 000. */
  maxMessagesPerChannel: number;
  /** Longest clientId accepted (UTF-16 code units), in tokens, messages and headers; longer is 40012. Default 256. */
  maxClientIdLength: number;
  /** Longest TokenRequest nonce accepted; longer is 40003. Default 128. */
  maxNonceLength: number;
  /** Largest publish, the combined size of its messages' name, data, clientId and extras; larger is 40009. Default 64 KiB, Ably's default. */
  maxMessageSizeBytes: number;
  /** Bytes the issued-token store may hold (estimated per entry); the oldest tokens go first past it. Default 32 MiB. */
  maxTokenStoreBytes: number;
  /** Bytes the nonce store may hold (estimated per entry). Default 16 MiB. */
  maxNonceStoreBytes: number;
  /** Bytes all channel logs together may hold (estimated per message); the oldest messages go first past it. Default 64 MiB. */
  maxMessageStoreBytes: number;
  /** Bytes the published-id memory of idempotent publishing may hold (estimated per id); the oldest ids are forgotten early past it. Default 8 MiB. */
  maxIdempotencyStoreBytes: number;
  /** Apps `POST /apps` may provision at once (with the test controls on); each has the limits above. Default 20. */
  maxApps: number;
}

/** Limits that apply to both sides. */
export interface ServerLimitsConfig {
  /** Largest request body accepted, in bytes; larger bodies get 413 (41300). Default 64 KiB. */
  bodyLimitBytes: number;
  /** Entries kept in the request log the test controls read. Default 1 000. */
  requestLogSize: number;
  /**
   * Time a client has to send a whole request (headers and body), in ms; a connection still
   * sending after this is answered 408 (40800) and closed. Default 30 000.
   */
  requestTimeoutMs: number;
}

/** A complete configuration. */
export interface ServerConfig {
  /** The Ably side. */
  ably: AblyServerConfig;
  /** The Metquay side (owned by `./metquay`). */
  metquay: MetquayServerConfig;
  /** The OAuth2 authorization server (owned by `./oauth2`). */
  oauth2: OAuth2ServerConfig;
  /** Shared limits. */
  limits: ServerLimitsConfig;
  /** Which browser origins may call the Ably and Metquay routes (never the test controls). */
  cors: CorsConfig;
  /**
   * Host names the server answers for besides its own (loopback names, IP literals, the host it
   * listens on): exact names, `.example.test` for a name and its subdomains, or `true` for any.
   * Other `Host` values get 403 (DNS rebinding protection). Default none.
   */
  allowedHosts: AllowedHosts;
}

/** What callers pass: any part of {@link ServerConfig}. */
export interface ServerConfigInput {
  /** The Ably side; unset fields take their defaults. */
  ably?: PartialOrUndefined<AblyServerConfig> | undefined;
  /** The Metquay side; unset fields take their defaults. */
  metquay?: PartialOrUndefined<MetquayServerConfig> | undefined;
  /** The OAuth2 side; unset fields take their defaults. */
  oauth2?: PartialOrUndefined<OAuth2ServerConfig> | undefined;
  /** Shared limits; unset fields take their defaults. */
  limits?: PartialOrUndefined<ServerLimitsConfig> | undefined;
  /** Allowed browser origins. Default any (`'*'`), as Ably's public REST. */
  cors?: PartialOrUndefined<CorsConfig> | undefined;
  /** Host names answered besides the server's own. Default none. */
  allowedHosts?: AllowedHosts | undefined;
}

/** Every default. It has no credentials: without keys or clients nothing authenticates. */
export const DEFAULT_SERVER_CONFIG: Readonly<ServerConfig> = Object.freeze({
  ably: {
    keys: [],
    defaultTtlMs: 60 * 60_000,
    maxTtlMs: 24 * 60 * 60_000,
    timestampWindowMs: 10 * 60_000,
    maxNonces: 100_000,
    maxTokens: 100_000,
    maxChannels: 1_000,
    maxMessagesPerChannel: 1_000,
    maxClientIdLength: 256,
    maxNonceLength: 128,
    maxMessageSizeBytes: 64 * 1024,
    maxTokenStoreBytes: 32 * 1024 * 1024,
    maxNonceStoreBytes: 16 * 1024 * 1024,
    maxMessageStoreBytes: 64 * 1024 * 1024,
    maxIdempotencyStoreBytes: 8 * 1024 * 1024,
    maxApps: 20,
  },
  metquay: { ...DEFAULT_METQUAY_SERVER_CONFIG },
  oauth2: { ...DEFAULT_OAUTH2_SERVER_CONFIG },
  limits: { bodyLimitBytes: 64 * 1024, requestLogSize: 1_000, requestTimeoutMs: 30_000 },
  cors: { ...DEFAULT_CORS_CONFIG },
  allowedHosts: DEFAULT_ALLOWED_HOSTS,
});

/** A key after checking: its public name, its secret and its parsed capability. */
export interface ResolvedAblyKey {
  /** `<appId>.<keyId>`; public. */
  keyName: string;
  /** The secret half; never logged or sent. */
  secret: string;
  /** Resource -> operations. */
  capability: CapabilityMap;
  /** Whether `revokeTokens` may revoke its tokens. */
  revocableTokens: boolean;
}

/** The checked configuration the server runs with. */
export interface ResolvedServerConfig {
  ably: Omit<AblyServerConfig, 'keys'> & { keys: ResolvedAblyKey[] };
  metquay: ResolvedMetquayServerConfig;
  oauth2: ResolvedOAuth2ServerConfig;
  limits: ServerLimitsConfig;
  cors: CorsConfig;
  allowedHosts: AllowedHosts;
}

const KEY_PATTERN = /^([^:.\s]+\.[^:\s]+):([^\s]+)$/;
const ABLY_NUMBERS = [
  'defaultTtlMs', 'maxTtlMs', 'timestampWindowMs', 'maxNonces', 'maxTokens', 'maxChannels', 'maxMessagesPerChannel',
  'maxClientIdLength', 'maxNonceLength', 'maxMessageSizeBytes', 'maxTokenStoreBytes', 'maxNonceStoreBytes', 'maxMessageStoreBytes', 'maxIdempotencyStoreBytes', 'maxApps',
] as const;
const LIMIT_NUMBERS = ['bodyLimitBytes', 'requestLogSize', 'requestTimeoutMs'] as const;

/**
 * Merges `input` over {@link DEFAULT_SERVER_CONFIG} and checks every field.
 *
 * @throws {ConfigurationError} code 40003 whose message names the bad field (never its value).
 * @example
 * ```ts
 * resolveServerConfig({ ably: { keys: [{ key: 'app.key:secret' }], maxTtlMs: 60_000 } });
 * ```
 */
export function resolveServerConfig(input: ServerConfigInput = {}): ResolvedServerConfig {
  if (!isPlainObject(input)) throw invalidOption('config must be an object');
  rejectUnknown(input, ['ably', 'metquay', 'oauth2', 'limits', 'cors', 'allowedHosts'], 'config');
  const ablyInput = section(input.ably, 'ably');
  const limitsInput = section(input.limits, 'limits');
  rejectUnknown(ablyInput, ['keys', ...ABLY_NUMBERS], 'ably');
  rejectUnknown(limitsInput, LIMIT_NUMBERS, 'limits');
  const ably = { ...DEFAULT_SERVER_CONFIG.ably, ...withoutUndefined(ablyInput) };
  const limits = { ...DEFAULT_SERVER_CONFIG.limits, ...withoutUndefined(limitsInput) };
  for (const name of ABLY_NUMBERS) positiveInteger(`ably.${name}`, ably[name]);
  for (const name of LIMIT_NUMBERS) positiveInteger(`limits.${name}`, limits[name]);
  if (ably.defaultTtlMs > ably.maxTtlMs) throw invalidOption('ably.defaultTtlMs must not exceed ably.maxTtlMs');
  const corsInput = section(input.cors, 'cors');
  rejectUnknown(corsInput, ['allowedOrigins'], 'cors');
  return {
    ably: { ...ably, keys: resolveKeys(ably.keys) },
    metquay: resolveMetquay(input.metquay),
    oauth2: resolveOAuth2ServerConfig(section(input.oauth2, 'oauth2')),
    limits,
    cors: resolveCors(corsInput),
    allowedHosts: asConfigError(() => resolveAllowedHosts(input.allowedHosts)),
  };
}

/**
 * Reads a JSON config file and resolves it.
 *
 * @throws {ConfigurationError} when the file cannot be read, is not JSON, or has a bad field.
 */
export async function loadServerConfig(path: string): Promise<ResolvedServerConfig> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const problem = code === 'ENOENT' ? 'does not exist' : `could not be read (${code ?? 'error'})`;
    throw invalidOption(`config file ${JSON.stringify(path)} ${problem}`, error);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw invalidOption(`config file ${JSON.stringify(path)} is not valid JSON`);
  }
  return resolveServerConfig(parsed as ServerConfigInput);
}

function resolveKeys(keys: unknown): ResolvedAblyKey[] {
  if (!Array.isArray(keys)) throw invalidOption('ably.keys must be an array');
  const seen = new Set<string>();
  return keys.map((entry: unknown, index) => {
    const where = `ably.keys[${index}]`;
    if (!isPlainObject(entry)) throw invalidOption(`${where} must be an object with a key`);
    rejectUnknown(entry, ['key', 'capability', 'revocableTokens'], where);
    if (entry.revocableTokens !== undefined && typeof entry.revocableTokens !== 'boolean') throw invalidOption(`${where}.revocableTokens must be a boolean`);
    const match = typeof entry.key === 'string' ? KEY_PATTERN.exec(entry.key) : null;
    if (!match) throw invalidOption(`${where}.key must look like "<appId>.<keyId>:<keySecret>"`);
    const [, keyName = '', secret = ''] = match;
    if (seen.has(keyName)) throw invalidOption(`${where}.key repeats the key name of an earlier key`);
    seen.add(keyName);
    return {
      keyName,
      secret,
      capability: resolveCapability(entry.capability, `${where}.capability`),
      revocableTokens: entry.revocableTokens === true,
    };
  });
}

function resolveCapability(value: unknown, where: string): CapabilityMap {
  if (value === undefined) return { '*': ['*'] };
  try {
    const capability = parseCapability(value as CapabilityInput);
    assertValidCapability(capability, where, 40003);
    return capability;
  } catch (error) {
    if (error instanceof TokensmithError) throw invalidOption(error.message.replace(/^capability/, where));
    throw error;
  }
}

function resolveMetquay(value: unknown): ResolvedMetquayServerConfig {
  return resolveMetquayServerConfig(section(value, 'metquay') as Partial<MetquayServerConfig>);
}

function resolveCors(value: Record<string, unknown>): CorsConfig {
  return asConfigError(() => resolveCorsConfig(value as Partial<CorsConfig>));
}

/** Runs a section's own check, its TypeError becoming a 40003 naming the field. */
function asConfigError<T>(check: () => T): T {
  try {
    return check();
  } catch (error) {
    if (error instanceof TypeError) throw invalidOption(error.message, error);
    throw error;
  }
}

function section(value: unknown, name: string): Record<string, unknown> {
  if (value === undefined) return {};
  if (!isPlainObject(value)) throw invalidOption(`${name} must be an object`);
  return value;
}

function rejectUnknown(value: Record<string, unknown>, known: readonly string[], where: string): void {
  const unknown = Object.keys(value).find((name) => !known.includes(name));
  if (unknown !== undefined) throw invalidOption(`${where}.${unknown.slice(0, 64)} is not a known option`);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

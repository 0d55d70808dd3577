import { readFile } from 'node:fs/promises';
import { withoutUndefined, type PartialOrUndefined } from 'tokensmith';
import { invalidOption, positiveInteger } from '../lib/checks';
import type { OAuth2ServerConfig } from '../oauth2';

/** A bearer token the spec server accepts without having issued it. */
export interface ConfiguredToken {
  /** The token, exactly as clients send it after `Bearer `. */
  token: string;
  /** Scopes it carries. Default none. */
  scopes?: string[] | undefined;
  /** When it stops being valid, ms since the epoch. Default never. */
  expiresAt?: number | undefined;
}

/** An apiKey value the spec server accepts. */
export interface ConfiguredApiKey {
  /** The key's value. */
  key: string;
  /** Only for this security scheme (by its name in the spec); any apiKey scheme when absent. */
  scheme?: string | undefined;
}

/** A user for `http` `basic` schemes. */
export interface ConfiguredBasicUser {
  username: string;
  password: string;
  /** Only for this security scheme; any basic scheme when absent. */
  scheme?: string | undefined;
}

/** The configuration of `tokensmith serve --spec` (`--config FILE`, JSON). */
export interface SpecServerConfig {
  /** Bearer tokens accepted for `http` bearer, `oauth2` and `openIdConnect` schemes. */
  tokens: ConfiguredToken[];
  apiKeys: ConfiguredApiKey[];
  basicUsers: ConfiguredBasicUser[];
  /**
   * The OAuth2 token endpoint's clients (`POST /oauth2/token`, also under the path of each spec's
   * `tokenUrl` that ends in `/oauth2/token`); the tokens it issues are accepted as bearer tokens.
   */
  oauth2: PartialOrUndefined<OAuth2ServerConfig>;
  limits: SpecServerLimits;
}

/** Bounds of the spec server. */
export interface SpecServerLimits {
  /** Largest request body, bytes. Default 1 MiB. */
  bodyLimitBytes: number;
  /** Bytes the `--stateful` store may hold (estimated as JSON length); the oldest resources go first past it. Default 16 MiB. */
  maxStateBytes: number;
  /** Closes a request not received completely within this many ms. Default 10 000. */
  requestTimeoutMs: number;
}

/** Defaults merged under a partial config. */
export const DEFAULT_SPEC_SERVER_CONFIG: SpecServerConfig = {
  tokens: [],
  apiKeys: [],
  basicUsers: [],
  oauth2: {},
  limits: { bodyLimitBytes: 1024 * 1024, maxStateBytes: 16 * 1024 * 1024, requestTimeoutMs: 10_000 },
};

/** What the spec server accepts as configuration: a partial object, limits partial too. */
export type SpecServerConfigInput = PartialOrUndefined<Omit<SpecServerConfig, 'limits'>> & { limits?: PartialOrUndefined<SpecServerLimits> | undefined };

/**
 * Checks a config and merges it over {@link DEFAULT_SPEC_SERVER_CONFIG}.
 * @throws {ConfigurationError} (40003) naming the field, never its value.
 */
export function resolveSpecServerConfig(input: SpecServerConfigInput = {}): SpecServerConfig {
  const config: SpecServerConfig = {
    tokens: input.tokens ?? [],
    apiKeys: input.apiKeys ?? [],
    basicUsers: input.basicUsers ?? [],
    oauth2: input.oauth2 ?? {},
    limits: { ...DEFAULT_SPEC_SERVER_CONFIG.limits, ...withoutUndefined(input.limits) },
  };
  for (const [name, list] of [['tokens', config.tokens], ['apiKeys', config.apiKeys], ['basicUsers', config.basicUsers]] as const) {
    if (!Array.isArray(list)) throw invalidOption(`${name} must be a list`);
  }
  config.tokens.forEach((entry, i) => {
    if (typeof entry?.token !== 'string' || entry.token === '') throw invalidOption(`tokens[${i}].token must be a non-empty string`);
    if (entry.scopes !== undefined && !(Array.isArray(entry.scopes) && entry.scopes.every((s) => typeof s === 'string'))) throw invalidOption(`tokens[${i}].scopes must be a list of strings`);
    if (entry.expiresAt !== undefined && !Number.isFinite(entry.expiresAt)) throw invalidOption(`tokens[${i}].expiresAt must be ms since the epoch`);
  });
  config.apiKeys.forEach((entry, i) => {
    if (typeof entry?.key !== 'string' || entry.key === '') throw invalidOption(`apiKeys[${i}].key must be a non-empty string`);
  });
  config.basicUsers.forEach((entry, i) => {
    if (typeof entry?.username !== 'string' || typeof entry.password !== 'string' || entry.username.includes(':')) {
      throw invalidOption(`basicUsers[${i}] needs a username (without ":") and a password, both strings`);
    }
  });
  for (const [name, value] of Object.entries(config.limits)) positiveInteger(`limits.${name}`, value);
  return config;
}

/** Reads a JSON config file and resolves it. */
export async function loadSpecServerConfig(file: string): Promise<SpecServerConfig> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw invalidOption(`cannot read the config ${file}`, error);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw invalidOption(`the config ${file} is not valid JSON`, error);
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw invalidOption(`the config ${file} must hold a JSON object`);
  return resolveSpecServerConfig(parsed as SpecServerConfigInput);
}

/** Every secret a config holds, for the scrubber. */
export function configSecrets(config: SpecServerConfig): string[] {
  return [...config.tokens.map((t) => t.token), ...config.apiKeys.map((k) => k.key), ...config.basicUsers.map((u) => u.password)];
}

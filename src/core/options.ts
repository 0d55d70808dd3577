import { ConfigurationError } from './errors';

/**
 * Options as users pass them: every option accepts `undefined` (`key: process.env.KEY`,
 * `ttl: short ? 60_000 : undefined`) and means the same as leaving it out.
 */

/**
 * `Partial<T>` whose properties also accept `undefined` under `exactOptionalPropertyTypes`:
 * the type of an options section merged over its defaults.
 */
export type PartialOrUndefined<T> = { [K in keyof T]?: T[K] | undefined };

/**
 * A copy of `options` without the properties whose value is `undefined`, so that spreading it
 * over defaults keeps the default (`{ ...DEFAULTS, ...withoutUndefined(options) }`). `undefined`
 * itself gives `{}`.
 */
export function withoutUndefined<T extends object>(options: T | undefined): { [K in keyof T]?: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(options ?? {}).filter(([, value]) => value !== undefined)) as { [K in keyof T]?: Exclude<T[K], undefined> };
}

/**
 * `value`, unless it is `undefined`: a required option given as `undefined` (typically an unset
 * environment variable) is refused with 40106 naming it, never showing a value.
 *
 * @throws {ConfigurationError} 40106 `<name> is undefined (an unset environment variable?)`.
 */
export function refuseUnset<T>(value: T | undefined, name: string): T {
  if (value === undefined) throw new ConfigurationError(40106, `${name} is undefined (an unset environment variable?)`);
  return value;
}

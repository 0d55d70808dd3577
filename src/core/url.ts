import { InvalidArgumentError } from './errors';

/**
 * Checks a URL option when an object is built: a string that parses as an absolute `http:` or
 * `https:` URL. `localhost:8080` parses too, as a URL of scheme `localhost:`, and would otherwise
 * fail only when first used, as an "unknown scheme"; here it is refused at once.
 *
 * @param name the option's name, quoted in the message (never its value, which may hold a secret
 *   in its query or userinfo).
 * @returns the URL as given, without trailing slashes.
 * @throws {InvalidArgumentError} 40003 naming the option.
 *
 * @example
 * ```ts
 * this.baseUrl = checkHttpUrl(options.baseUrl, 'baseUrl');
 * ```
 */
export function checkHttpUrl(value: unknown, name: string): string {
  const problem = `"${name}" must be an absolute http:// or https:// URL`;
  if (typeof value !== 'string' || value.trim() === '') throw new InvalidArgumentError(40003, problem);
  let protocol: string;
  try {
    protocol = new URL(value).protocol;
  } catch {
    throw new InvalidArgumentError(40003, problem);
  }
  if (protocol !== 'http:' && protocol !== 'https:') {
    throw new InvalidArgumentError(40003, `${problem}; a host and port without a scheme (localhost:8080) needs http:// in front`);
  }
  return value.replace(/\/+$/, '');
}

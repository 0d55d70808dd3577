import { PrintsSafely } from '../printable';
import type { TokenLike } from '../store';
import type { TokenManager } from '../token-manager';
import type { AnySchemeProvider } from './types';

/**
 * The base of the built-in credentials: each keeps its secret in a private field, and printing
 * one (`console.log`, `util.inspect`, `JSON.stringify`, `String`) shows only its kind.
 */

/** The printed face shared by every built-in credential: its kind, never its secret. */
export abstract class Credential extends PrintsSafely {
  /** The class's name, what printing shows. */
  abstract readonly label: string;
  /** Only the kind, never the secret. */
  toJSON(): { credential: string } {
    return { credential: this.label };
  }
  override toString(): string {
    return `${this.label} [credential]`;
  }
}

/** A TokenManager, or anything shaped like one (no import, so the class stays out of bundles that do not use it). */
export function isTokenManager(value: unknown): value is TokenManager<TokenLike> {
  const candidate = value as Partial<TokenManager<TokenLike>> | null;
  return typeof candidate === 'object' && candidate !== null && typeof candidate.peek === 'function' && typeof candidate.getToken === 'function' && typeof candidate.invalidate === 'function';
}

/** True for an object implementing {@link SchemeProvider}. */
export function isSchemeProvider(value: unknown): value is AnySchemeProvider {
  const candidate = value as Partial<AnySchemeProvider> | null;
  return typeof candidate === 'object' && candidate !== null && typeof candidate.apply === 'function' && typeof candidate.kinds === 'object' && candidate.kinds !== null;
}

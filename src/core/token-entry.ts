import { AuthProviderError } from './errors';
import { forcedWindow, refreshAt } from './refresh-window';
import type { TokenLike, TokenState } from './store';

/** A token as the manager holds it: its state plus the moments that matter, computed once. */
export interface Entry<T extends TokenLike> {
  state: TokenState<T>;
  /** `state.expiresAt`, or Infinity. */
  expiresAt: number;
  /** From when it is no longer sent: `expiresAt` less the forced-refresh window; Infinity for a token that does not expire. */
  usableUntil: number;
  /** When a background refresh should start; Infinity for a token that does not expire. */
  refreshAt: number;
  /** Number of the fetch that produced it; a lower one never replaces a higher one. */
  seq: number;
}

/** Builds an {@link Entry}, drawing this token's refresh jitter once. */
export function toEntry<T extends TokenLike>(
  state: TokenState<T>,
  seq: number,
  window: { refreshMarginMs: number | undefined; refreshJitterRatio: number; forcedRefreshWindowMs: number; random: () => number },
): Entry<T> {
  if (state.expiresAt === undefined) return { state, expiresAt: Infinity, usableUntil: Infinity, refreshAt: Infinity, seq };
  const usableUntil = state.expiresAt - forcedWindow(state.expiresAt - state.obtainedAt, window.forcedRefreshWindowMs);
  return { state, expiresAt: state.expiresAt, usableUntil, refreshAt: Math.min(usableUntil, refreshAt(state.obtainedAt, state.expiresAt, window)), seq };
}

/**
 * Checks what `fetchToken` resolved and fixes its expiry in clock time: with `issuedAt`, the
 * lifetime `expiresAt - issuedAt` counted from `sentAt`; otherwise `expiresAt` as is.
 */
export function toState<T extends TokenLike>(value: T, sentAt: number, now: number): TokenState<T> {
  if (typeof value?.token !== 'string' || value.token === '') {
    throw new AuthProviderError(50002, 'fetchToken resolved without a token string');
  }
  if (value.expiresAt === undefined) return { value, obtainedAt: sentAt };
  if (!Number.isFinite(value.expiresAt)) throw new AuthProviderError(50002, 'fetchToken resolved a non-numeric expiresAt');
  const expiresAt = Number.isFinite(value.issuedAt) ? sentAt + value.expiresAt - (value.issuedAt as number) : value.expiresAt;
  if (expiresAt <= now) {
    throw new AuthProviderError(50002, 'fetchToken resolved a token that has already expired; is the clock offset set?');
  }
  return { value, obtainedAt: sentAt, expiresAt };
}

import { AuthProviderError } from './errors';
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
    throw unusable('without a token string');
  }
  if (value.expiresAt === undefined) return { value, obtainedAt: sentAt };
  if (!Number.isFinite(value.expiresAt)) throw unusable('a non-numeric expiresAt');
  const expiresAt = Number.isFinite(value.issuedAt) ? sentAt + value.expiresAt - (value.issuedAt as number) : value.expiresAt;
  if (expiresAt <= now) {
    throw unusable('a token that has already expired; is the clock offset set?');
  }
  return { value, obtainedAt: sentAt, expiresAt };
}

/**
 * When to refresh a token ahead of its expiry. Two windows, as in Azure's token cycler: inside
 * the refresh window the cached token is still served while one background refresh runs; inside
 * the forced-refresh window, just before expiry, it is no longer sent and callers wait for the
 * renewal, so no request leaves with a token that expires on the way.
 */

/** Upper bound of the default refresh margin. */
export const MAX_DEFAULT_REFRESH_MARGIN_MS = 60_000;

/** The default refresh margin as a fraction of the token's lifetime. */
export const DEFAULT_REFRESH_MARGIN_RATIO = 0.1;

/**
 * The refresh margin for a token: `refreshMarginMs` when given, else the smaller of 60 s and a
 * tenth of the lifetime (`expiresAt - obtainedAt`).
 */
export function refreshMargin(lifetimeMs: number, refreshMarginMs?: number): number {
  if (refreshMarginMs !== undefined) return refreshMarginMs;
  return Math.min(MAX_DEFAULT_REFRESH_MARGIN_MS, Math.max(0, lifetimeMs) * DEFAULT_REFRESH_MARGIN_RATIO);
}

/**
 * The moment a background refresh should start. Jitter only moves it earlier, so the margin is a
 * floor: with margin `M` and jitter ratio `J`, the result lies in `(expiresAt - M·(1+J),
 * expiresAt - M]`, and never before `obtainedAt`. A fleet that fetched together therefore
 * spreads its refreshes over `M·J` ms instead of refreshing in step.
 *
 * @param random A source in `[0, 1)`; `Math.random` by default.
 */
export function refreshAt(
  obtainedAt: number,
  expiresAt: number,
  options: { refreshMarginMs?: number; refreshJitterRatio: number; random: () => number },
): number {
  const margin = refreshMargin(expiresAt - obtainedAt, options.refreshMarginMs);
  // One product, not `expiresAt - margin - jitter`: subtracting twice rounds twice, which at
  // epoch-sized times can land one ulp below the window's floor.
  const spread = 1 + options.refreshJitterRatio * options.random();
  return Math.max(obtainedAt, expiresAt - margin * spread);
}

/** Default forced-refresh window: a token this close to expiry is not sent. */
export const DEFAULT_FORCED_REFRESH_WINDOW_MS = 3_000;

/**
 * The forced-refresh window for a token: `forcedRefreshWindowMs`, capped at a tenth of the
 * lifetime so a short-lived token is still served for most of its life.
 */
export function forcedWindow(lifetimeMs: number, forcedRefreshWindowMs: number): number {
  return Math.min(forcedRefreshWindowMs, Math.max(0, lifetimeMs) * DEFAULT_REFRESH_MARGIN_RATIO);
}

function unusable(what: string): AuthProviderError {
  return new AuthProviderError(50002, `fetchToken resolved ${what}`);
}

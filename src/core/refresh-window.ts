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
  const jitter = margin * options.refreshJitterRatio * options.random();
  return Math.max(obtainedAt, expiresAt - margin - jitter);
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

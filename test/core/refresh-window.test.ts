import fc from 'fast-check';
import { refreshAt, refreshMargin } from '../../src/core/token-entry';

describe('refresh window', () => {
  test.each([
    [3_600_000, 60_000],
    [600_000, 60_000],
    [300_000, 30_000],
    [10_000, 1_000],
  ])('default margin for a %d ms lifetime is %d ms: min(60 s, lifetime / 10)', (lifetime, margin) => {
    expect(refreshMargin(lifetime)).toBe(margin);
  });

  test('jitter keeps the start inside (expiresAt − M·(1+J), expiresAt − M] and never before obtainedAt', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2_000_000_000_000 }),
        fc.integer({ min: 1, max: 86_400_000 }),
        fc.option(fc.integer({ min: 0, max: 600_000 }), { nil: undefined }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        (obtainedAt, lifetime, refreshMarginMs, refreshJitterRatio, r) => {
          const expiresAt = obtainedAt + lifetime;
          const margin = refreshMargin(lifetime, refreshMarginMs);
          const at = refreshAt(obtainedAt, expiresAt, { refreshMarginMs, refreshJitterRatio, random: () => r });
          const latest = expiresAt - margin;
          const earliest = expiresAt - margin * (1 + refreshJitterRatio);
          return at >= obtainedAt && at <= Math.max(obtainedAt, latest) && (at >= earliest || at === obtainedAt);
        },
      ),
    );
  });

  test('the start stays inside the window where rounding at epoch-sized times once left it', () => {
    // fast-check's counterexample from a CI run: two subtractions rounded the start one ulp low.
    const obtainedAt = 549_755_813_868;
    const expiresAt = obtainedAt + 23;
    const ratio = 0.18536111582880452;
    const at = refreshAt(obtainedAt, expiresAt, { refreshJitterRatio: ratio, random: () => 0.9999999999999991 });
    const margin = refreshMargin(23);
    expect(at).toBeGreaterThanOrEqual(expiresAt - margin * (1 + ratio));
    expect(at).toBeLessThanOrEqual(expiresAt - margin);
  });

  test('different random draws spread a fleet over the whole jitter range', () => {
    const starts = [0, 0.25, 0.5, 0.75, 0.999].map((r) =>
      refreshAt(0, 600_000, { refreshJitterRatio: 0.5, random: () => r }),
    );
    expect(new Set(starts).size).toBe(5);
    expect(Math.max(...starts) - Math.min(...starts)).toBeGreaterThan(29_000);
  });
});

import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { createFloor, floorAvailable } from '../../bench/lib/floor';

// The floor is the yardstick createTokenRequest is measured against: it must do the same work,
// so its MAC must be the one createHmac gives over the same signing text.
const signingText = (r: { keyName: string; ttl: number; capability: string; clientId: string; timestamp: number; nonce: string }): string =>
  `${r.keyName}\n${r.ttl}\n${r.capability}\n${r.clientId}\n${r.timestamp}\n${r.nonce}\n`;

(floorAvailable ? describe : describe.skip)('bench floor createTokenRequest', () => {
  it('signs with the same HMAC-SHA256 as createHmac for random secrets, capabilities and client ids', () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 1, maxLength: 100, unit: 'grapheme' }),
        fc.dictionary(fc.string({ minLength: 1, maxLength: 12 }), fc.array(fc.string({ minLength: 1, maxLength: 8 }), { minLength: 1, maxLength: 3 })),
        fc.string({ maxLength: 40, unit: 'grapheme' }),
        fc.integer({ min: 0, max: 86_400_000 }),
        (secret, capability, clientId, ttl) => {
          const request = createFloor('app.key', secret)(ttl, capability, clientId);
          expect(request.mac).toBe(createHmac('sha256', secret).update(signingText(request), 'utf8').digest('base64'));
          expect(request.capability).toBe(JSON.stringify(capability));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('makes a fresh 16-character URL-safe nonce every call, across pool refills', () => {
    const sign = createFloor('app.key', 'secret');
    const nonces = new Set<string>();
    for (let i = 0; i < 3_000; i++) nonces.add(sign(0, {}, 'c').nonce);
    expect(nonces.size).toBe(3_000);
    for (const nonce of nonces) expect(nonce).toMatch(/^[A-Za-z0-9_-]{16}$/);
  });

  it('stamps the current time', () => {
    const before = Date.now();
    const { timestamp } = createFloor('app.key', 'secret')(0, {}, 'c');
    expect(timestamp).toBeGreaterThanOrEqual(before);
    expect(timestamp).toBeLessThanOrEqual(Date.now());
  });
});

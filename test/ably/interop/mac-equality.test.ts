/**
 * Interop: for the same inputs our createTokenRequest is byte-identical to the official SDK's
 * (`ably` on npm), MAC included, over thousands of random inputs — with both signers.
 */
import * as Ably from 'ably';
import fc from 'fast-check';
import { AblyAuth as WebAblyAuth } from '../../../src/ably';
import { AblyAuth as NodeAblyAuth } from '../../../src/ably/node';

const OPS = ['publish', 'subscribe', 'presence', 'history', 'stats', 'channel-metadata', 'push-subscribe', 'push-admin', '*'];

const keyName = fc
  .tuple(fc.stringMatching(/^[A-Za-z0-9_-]{1,12}$/), fc.stringMatching(/^[A-Za-z0-9_-]{1,12}$/))
  .map(([app, key]) => `${app}.${key}`);
// Any non-empty secret the SDK accepts (it refuses colons, dots and whitespace in a secret).
const secret = fc.string({ unit: 'grapheme', minLength: 1, maxLength: 60 }).filter((s) => !/[:.\s]/.test(s));
// Resource names include index-like ones ("7", "10"), whose order JSON.stringify fixes.
const resource = fc.oneof(fc.string({ unit: 'grapheme', minLength: 1, maxLength: 16 }), fc.nat({ max: 99 }).map(String), fc.constantFrom('*', 'chat:*'));
const capability = fc.dictionary(resource, fc.uniqueArray(fc.constantFrom(...OPS), { minLength: 1, maxLength: 5 }), { minKeys: 1, maxKeys: 5 });
const params = fc.record(
  {
    ttl: fc.integer({ min: 1, max: 86_400_000 }),
    capability: fc.oneof(capability, capability.map((c) => JSON.stringify(c))),
    clientId: fc.oneof(fc.string({ unit: 'grapheme', minLength: 1, maxLength: 24 }), fc.constant('*')),
    timestamp: fc.integer({ min: 1, max: 4_000_000_000_000 }),
    nonce: fc.string({ unit: 'grapheme', minLength: 16, maxLength: 40 }),
  },
  { requiredKeys: ['timestamp', 'nonce'] },
);

describe.each([
  ['web signer', WebAblyAuth],
  ['node signer', NodeAblyAuth],
])('createTokenRequest equals the official SDK (%s)', (_name, AblyAuth) => {
  it('for thousands of random keys and token params', async () => {
    await fc.assert(
      fc.asyncProperty(keyName, secret, params, async (name, keySecret, tokenParams) => {
        const key = `${name}:${keySecret}`;
        const sdk = new Ably.Rest({ key, logLevel: 0 });
        const theirs = await sdk.auth.createTokenRequest(structuredClone(tokenParams) as Ably.TokenParams);
        const ours = await new AblyAuth({ key }).createTokenRequest(structuredClone(tokenParams));
        expect(ours.mac).toBe(theirs.mac);
        expect(ours).toEqual({ ...theirs });
      }),
      { numRuns: 3000 },
    );
  }, 180_000);
});

it('the SDK and we agree on a request without ttl, capability or clientId', async () => {
  const key = 'app.key:secret';
  const fixed = { timestamp: 1_700_000_000_000, nonce: 'abcdefghijklmnop' };
  const theirs = await new Ably.Rest({ key, logLevel: 0 }).auth.createTokenRequest({ ...fixed });
  const ours = await new WebAblyAuth({ key }).createTokenRequest({ ...fixed });
  expect(ours).toEqual({ ...theirs });
});

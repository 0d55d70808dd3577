import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { nodeSigner } from '../../src/ably/crypto/node';
import { NONCE_LENGTH } from '../../src/ably/crypto/signer';
import { webSigner } from '../../src/ably/crypto/web';
import { macsEqual, tokenRequestMac, tokenRequestSigningText } from '../../src/ably/token-request-signing';

const referenceHmac = (secret: string, text: string): string => createHmac('sha256', secret).update(text, 'utf8').digest('base64');

describe('tokenRequestSigningText', () => {
  it('is keyName, ttl, capability, clientId, timestamp, nonce each followed by a newline', () => {
    expect(
      tokenRequestSigningText({ keyName: 'app.key', ttl: 3600000, capability: '{"*":["*"]}', clientId: 'bob', timestamp: 1700000000000, nonce: 'n'.repeat(16) }),
    ).toBe(`app.key\n3600000\n{"*":["*"]}\nbob\n1700000000000\n${'n'.repeat(16)}\n`);
  });

  it('writes absent fields as empty strings', () => {
    expect(tokenRequestSigningText({ keyName: 'app.key', timestamp: 5, nonce: 'abc' })).toBe('app.key\n\n\n\n5\nabc\n');
    expect(tokenRequestSigningText({})).toBe('\n\n\n\n\n\n');
  });
});

describe.each([
  ['node', nodeSigner],
  ['web', webSigner],
])('%s signer', (name, signer) => {
  it('reports its name', () => {
    expect(signer.name).toBe(name);
  });

  it('computes the same HMAC-SHA256 as createHmac over random secrets and texts (property)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ unit: 'grapheme', minLength: 1, maxLength: 100 }), fc.string({ unit: 'grapheme', maxLength: 400 }), async (secret, text) => {
        const key = signer.importHmacKey(secret);
        expect(await key.sign(text)).toBe(referenceHmac(secret, text));
      }),
      { numRuns: 2000 },
    );
  }, 120_000);

  it('handles secrets longer than the 64-byte block and texts longer than the preallocated buffer', async () => {
    const secret = 'é'.repeat(100);
    const key = signer.importHmacKey(secret);
    for (const text of ['', 'short', 'x'.repeat(10_000), 'ü'.repeat(300), 'short again']) {
      expect(await key.sign(text)).toBe(referenceHmac(secret, text));
    }
  });

  it('reuses one imported key for many signatures', async () => {
    const key = signer.importHmacKey('secret');
    const texts = Array.from({ length: 50 }, (_, i) => `text ${i}`);
    const macs = await Promise.all(texts.map((t) => key.sign(t)));
    expect(macs).toEqual(texts.map((t) => referenceHmac('secret', t)));
  });

  it('keeps concurrent signatures apart once the key is imported (reused text buffer)', async () => {
    const key = signer.importHmacKey('secret');
    await key.sign('warm up: the key is imported after this');
    const texts = Array.from({ length: 50 }, (_, i) => `${'é'.repeat(i * 7)} text ${i}`);
    const macs = await Promise.all(texts.map((t) => key.sign(t)));
    expect(macs).toEqual(texts.map((t) => referenceHmac('secret', t)));
  });

  it('signs a TokenRequest over its signing text', async () => {
    const fields = { keyName: 'a.b', ttl: 1000, timestamp: 42, nonce: 'abcdefghijklmnop' };
    expect(await tokenRequestMac(signer.importHmacKey('s3cret'), fields)).toBe(referenceHmac('s3cret', tokenRequestSigningText(fields)));
  });

  it('makes distinct URL-safe nonces of 16 characters across pool refills', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 5000; i++) {
      const nonce = signer.nonce();
      expect(nonce).toMatch(/^[A-Za-z0-9_-]+$/);
      expect(nonce.length).toBe(NONCE_LENGTH);
      seen.add(nonce);
    }
    expect(seen.size).toBe(5000);
  });
});

describe('node signer without crypto.hash', () => {
  it('falls back to createHmac with the same result', async () => {
    jest.resetModules();
    jest.doMock('node:crypto', () => {
      const actual = jest.requireActual<typeof import('node:crypto')>('node:crypto');
      return { ...actual, hash: undefined };
    });
    const { nodeSigner: fallback } = await import('../../src/ably/crypto/node');
    const key = fallback.importHmacKey('k'.repeat(80));
    expect(key.signSync('hello')).toBe(referenceHmac('k'.repeat(80), 'hello'));
    jest.dontMock('node:crypto');
  });
});

describe('macsEqual', () => {
  it.each([
    ['abc', 'abc', true],
    ['abc', 'abd', false],
    ['abc', 'ab', false],
    ['abc', 'abcd', false],
    ['', '', true],
  ])('%j vs %j -> %s', (a, b, expected) => {
    expect(macsEqual(a, b)).toBe(expected);
  });
});

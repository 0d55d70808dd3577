import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { credentialIdentity } from '../../src/core/store';
import { sha256Hex } from '../../src/core/sha256';

describe('sha256Hex (pure JS, no node:crypto)', () => {
  test.each([
    ['', 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'],
    ['abc', 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'],
    ['abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq', '248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1'],
  ])('NIST vector %j', (input, digest) => {
    expect(sha256Hex(input)).toBe(digest);
  });

  test('matches node:crypto for any UTF-8 text, across block boundaries', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300, unit: 'grapheme' }), (text) => {
        return sha256Hex(text) === createHash('sha256').update(text, 'utf8').digest('hex');
      }),
      { numRuns: 500 },
    );
  });
});

describe('credentialIdentity', () => {
  test('is stable under key order and ignores undefined parts', () => {
    const a = credentialIdentity({ provider: 'ably', keyName: 'app.key', ttl: 3_600_000, clientId: undefined });
    const b = credentialIdentity({ ttl: 3_600_000, keyName: 'app.key', provider: 'ably' });
    expect(a).toBe(b);
    expect(a).toMatch(/^tokensmith:v1:[0-9a-f]{64}$/);
  });

  test('differs when any part differs', () => {
    const base = { provider: 'ably', keyName: 'app.key', capability: { 'chat:*': ['subscribe'] }, clientId: 'alice' };
    const variants = [
      { ...base, keyName: 'app.other' },
      { ...base, clientId: 'bob' },
      { ...base, capability: { 'chat:*': ['publish'] } },
      { ...base, provider: 'metquay' },
    ];
    const ids = new Set([base, ...variants].map((parts) => credentialIdentity(parts)));
    expect(ids.size).toBe(5);
  });

  test('contains none of its parts in clear', () => {
    const id = credentialIdentity({ keyName: 'xVLyHw.A-pwh7wicf3afTfgiw4k2Ku', clientId: 'someone@example.com' });
    expect(id).not.toContain('xVLyHw');
    expect(id).not.toContain('someone');
  });

  test.each(['keySecret', 'secretKey', 'password', 'privateKey'])('refuses a part named %s', (name) => {
    expect(() => credentialIdentity({ keyName: 'k', [name]: 'value' })).toThrow(
      expect.objectContaining({ code: 40003, message: expect.stringContaining(`"${name}"`) }),
    );
  });

  test('the refusal never repeats the value', () => {
    let message = '';
    try {
      credentialIdentity({ auth: { secretKey: 'hunter2-very-secret' } });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain('"auth.secretKey"');
    expect(message).not.toContain('hunter2');
  });
});

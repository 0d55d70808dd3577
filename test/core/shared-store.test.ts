import { AblyAuth } from '../../src/ably';
import { TokenManager } from '../../src/core/token-manager';
import { MetquayAuth } from '../../src/metquay';
import { OAuth2ClientCredentials, OAuth2RefreshToken } from '../../src/oauth2';
import { MemoryTokenStore, credentialIdentity, sharedStore, type TokenStore } from '../../src/store';

// The fleet machinery travels with the store object (tokensmith/store); a plain object passed as
// `store` is refused on first use, naming the option and the fix, never a secret.

const SECRET = 'sk-very-secret-value';
const STORE_SYNC = Symbol.for('tokensmith.storeSync');

function plainStore(): TokenStore {
  const memory = new MemoryTokenStore();
  return { get: (k) => memory.get(k), set: (k, s, t) => memory.set(k, s, t), delete: (k) => memory.delete(k) };
}

const noNetwork = (async () => {
  throw new Error('no request expected');
}) as typeof fetch;

const refusal = expect.objectContaining({
  code: 40003,
  message: expect.stringMatching(/"store".*sharedStore\(\) from tokensmith\/store/),
});

describe('a store not made shared', () => {
  test('TokenManager refuses it when built', () => {
    const store = plainStore();
    expect(() => new TokenManager({ fetchToken: async () => ({ token: 't' }), store: store as never, storeKey: 'k' })).toThrow(refusal);
  });

  test('MetquayAuth refuses it when built, without quoting the secret key', () => {
    let caught: unknown;
    try {
      new MetquayAuth({ accessKey: 'ak', secretKey: SECRET, baseUrl: 'http://127.0.0.1:1/api/v1', store: plainStore() as never, fetch: noNetwork });
    } catch (error) {
      caught = error;
    }
    expect(caught).toEqual(refusal);
    expect(String((caught as Error).message)).not.toContain(SECRET);
  });

  test('AblyAuth refuses it on first use, without quoting the key secret', async () => {
    const obtain = async () => new AblyAuth({ key: `appId.keyId:${SECRET}`, store: plainStore() as never, fetch: noNetwork }).authorize();
    const caught = await obtain().then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(caught).toEqual(refusal);
    expect(String((caught as Error).message)).not.toContain(SECRET);
  });

  test('the OAuth2 credentials refuse it when built', () => {
    const store = plainStore() as never;
    expect(() => new OAuth2ClientCredentials({ tokenUrl: 'http://127.0.0.1:1/token', clientId: 'c', clientSecret: SECRET, store, fetch: noNetwork })).toThrow(refusal);
    expect(() => new OAuth2RefreshToken({ tokenUrl: 'http://127.0.0.1:1/token', clientId: 'c', refreshToken: SECRET, subject: 'u', store, fetch: noNetwork })).toThrow(refusal);
  });
});

describe('sharedStore', () => {
  test('returns the same object, carrying the sync machinery under a registered symbol that printing never shows', () => {
    const store = plainStore();
    const before = JSON.stringify(store);
    const shared = sharedStore(store);
    expect(shared).toBe(store);
    expect(STORE_SYNC in shared).toBe(true);
    expect(Object.keys(shared)).toEqual(['get', 'set', 'delete']);
    expect(JSON.stringify(shared)).toBe(before);
    expect(sharedStore(shared)).toBe(shared);
  });

  test('the built-in stores carry it already', () => {
    const memory = new MemoryTokenStore();
    expect(STORE_SYNC in memory).toBe(true);
    expect(sharedStore(memory)).toBe(memory);
  });

  test('derives store keys with credentialIdentity', () => {
    const kit = (sharedStore(plainStore()) as unknown as Record<symbol, { identity(parts: object): string }>)[STORE_SYNC]!;
    const parts = { provider: 'metquay', baseUrl: 'https://example.com/api/v1', accessKey: 'ak' };
    expect(kit.identity(parts)).toBe(credentialIdentity(parts));
  });

  test.each(['get', 'set', 'delete'] as const)('refuses a store without %s, naming it', (method) => {
    const store: Partial<TokenStore> = plainStore();
    delete store[method];
    expect(() => sharedStore(store as TokenStore)).toThrow(expect.objectContaining({ code: 40003, message: expect.stringContaining(`"store.${method}"`) }));
  });

  test('refuses a frozen store, naming the fix', () => {
    expect(() => sharedStore(Object.freeze(plainStore()))).toThrow(expect.objectContaining({ code: 40003, message: expect.stringContaining('extensible') }));
  });

  test('two managers share one fetch through a wrapped custom store', async () => {
    const store = sharedStore(plainStore());
    let fetches = 0;
    const fetchToken = async () => ({ token: `t${++fetches}`, expiresAt: Date.now() + 600_000 });
    const a = new TokenManager({ fetchToken, store, storeKey: 'k' });
    const b = new TokenManager({ fetchToken, store, storeKey: 'k' });
    expect((await a.getToken()).token).toBe('t1');
    expect((await b.getToken()).token).toBe('t1');
    expect(fetches).toBe(1);
  });
});

import { ConfigurationError } from '../../src/core/errors';
import { MetquayAuth, METQUAY_ENV } from '../../src/metquay';
import { createMetquayClient } from '../../src/client';
import { readJwtTimeClaims } from '../../src/metquay/jwt';
import { parseRetryAfterMs } from '../../src/core/retry-after';
import { fakeJwt } from './helpers';

const FULL_ENV = {
  METQUAY_ACCESS_KEY: 'env-access-key-value',
  METQUAY_SECRET_KEY: 'env-secret-key-value',
  METQUAY_BASE_URL: 'http://127.0.0.1:1/api/v1',
};

describe('credentials from options or environment', () => {
  it.each([
    ['METQUAY_ACCESS_KEY', 'accessKey'],
    ['METQUAY_SECRET_KEY', 'secretKey'],
    ['METQUAY_BASE_URL', 'baseUrl'],
  ])('missing %s -> ConfigurationError 40106 naming it, with no value in the message', (variable, option) => {
    const env = { ...FULL_ENV, [variable]: undefined };
    const failure = (() => {
      try {
        new MetquayAuth({ env });
      } catch (error) {
        return error;
      }
      return undefined;
    })();
    expect(failure).toBeInstanceOf(ConfigurationError);
    expect(failure).toMatchObject({ code: 40106 });
    const message = (failure as Error).message;
    expect(message).toContain(variable);
    expect(message).toContain(option);
    for (const value of Object.values(FULL_ENV)) expect(message).not.toContain(value);
  });

  it('names every missing variable at once, and treats blank as missing', () => {
    expect(() => new MetquayAuth({ env: { METQUAY_ACCESS_KEY: '  ' } })).toThrow(/METQUAY_ACCESS_KEY.*METQUAY_SECRET_KEY.*METQUAY_BASE_URL/);
  });

  it('reads process.env by default', () => {
    const saved = { ...process.env };
    try {
      Object.assign(process.env, FULL_ENV);
      expect(new MetquayAuth().baseUrl).toBe(FULL_ENV.METQUAY_BASE_URL);
      delete process.env[METQUAY_ENV.secretKey];
      expect(() => new MetquayAuth()).toThrow(/METQUAY_SECRET_KEY/);
    } finally {
      process.env = saved;
    }
  });

  it('an environment the runtime will not read (Deno without --allow-env) is a ConfigurationError 40106, not the runtime\'s error', () => {
    const guarded = new Proxy({} as Record<string, string | undefined>, {
      get: (_target, name) => {
        throw new Error(`Requires env access to "${String(name)}"`);
      },
    });
    expect(() => new MetquayAuth({ env: guarded })).toThrow(ConfigurationError);
    expect(() => new MetquayAuth({ env: guarded })).toThrow(/accessKey \(option or METQUAY_ACCESS_KEY, which this runtime did not allow to be read\)/);
    // Options given: the environment is never touched.
    expect(new MetquayAuth({ env: guarded, ...{ accessKey: 'a', secretKey: 'b', baseUrl: 'http://127.0.0.1:1/api/v1' } }).baseUrl).toBe('http://127.0.0.1:1/api/v1');
  });

  it('options win over the environment; a trailing slash is dropped', () => {
    const auth = new MetquayAuth({ env: FULL_ENV, baseUrl: 'https://metquay.example/api/v1/' });
    expect(auth.baseUrl).toBe('https://metquay.example/api/v1');
  });

  it.each(['not a url', 'ftp://host/api/v1', 'https://user:pw-secret@'])('refuses baseUrl %j without echoing it', (baseUrl) => {
    const failure = (() => {
      try {
        createMetquayClient({ ...FULL_ENV, env: FULL_ENV, baseUrl });
      } catch (error) {
        return error as Error;
      }
      return undefined;
    })();
    expect(failure).toMatchObject({ code: 40003 });
    expect(failure?.message).not.toContain('pw-secret');
  });
});

describe('JWT time claims (decoded without verifying, no Buffer)', () => {
  it.each<[string, string, ReturnType<typeof readJwtTimeClaims>]>([
    ['exp and iat', fakeJwt({ exp: 2_000, iat: 1_000 }), { exp: 2_000, iat: 1_000 }],
    ['exp only', fakeJwt({ exp: 2_000 }), { exp: 2_000 }],
    ['non-numeric exp', fakeJwt({ exp: '2000' }), {}],
    ['not three parts', 'abc.def', undefined],
    ['payload not base64 JSON', 'a.!!!.c', undefined],
    ['payload a JSON array', `a.${btoa('[1]')}.c`, undefined],
  ])('%s', (_case, token, expected) => {
    expect(readJwtTimeClaims(token)).toEqual(expected);
  });

  it('decodes URL-safe base64 with characters standard base64 would not use', () => {
    const token = fakeJwt({ exp: 1_999_999_999, note: '>>>???' });
    expect(token.split('.')[1]).toMatch(/[-_]/);
    expect(readJwtTimeClaims(token)).toEqual({ exp: 1_999_999_999 });
  });
});

describe('Retry-After parsing', () => {
  it.each<[string | null, number | undefined]>([
    ['5', 5_000],
    [' 0 ', 0],
    [null, undefined],
    ['soon', undefined],
    ['-3', undefined],
    ['Wed, 01 Jan 2025 12:00:30 GMT', 30_000],
    ['Wed, 01 Jan 2025 11:00:00 GMT', 0],
  ])('%j -> %j ms', (header, expected) => {
    expect(parseRetryAfterMs(header, Date.UTC(2025, 0, 1, 12, 0, 0))).toBe(expected);
  });
});

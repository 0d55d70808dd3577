/**
 * Options filled from the environment as users write them (`key: process.env.ABLY_KEY`): an unset
 * variable passes `undefined`, which compiles under `exactOptionalPropertyTypes` and fails at
 * construction with 40106 naming the option, never with a compile error or a later failure.
 */
import { thrownConfigurationError as thrown } from '../helpers/configuration-error';
import { AblyAuth } from '../../src/ably';
import { createAblyClient } from '../../src/client';
import { MetquayAuth } from '../../src/metquay';

const UNSET: string | undefined = undefined;


describe('an unset environment variable passed as an Ably option', () => {
  it.each([
    ['key (Basic)', () => new AblyAuth({ key: UNSET }), /: key undefined/],
    ['key with useTokenAuth', () => createAblyClient({ key: UNSET, useTokenAuth: true, clientId: 'svc' }), /: key undefined/],
    ['authUrl', () => new AblyAuth({ authUrl: UNSET }), /: authUrl undefined/],
    ['key and token', () => new AblyAuth({ key: UNSET, token: UNSET }), /: key, token undefined/],
  ])('%s: 40106 at construction naming it', (_case, build, named) => {
    const error = thrown(build);
    expect(error.code).toBe(40106);
    expect(error.message).toMatch(named);
    expect(error.message).toContain('environment variable');
  });

  it('an undefined option beside one that works is ignored', () => {
    const auth = new AblyAuth({ key: 'app.key:secret-value', token: UNSET, clientId: UNSET, baseUrl: UNSET });
    expect(auth.baseUrl).toBe('https://rest.ably.io');
    expect(auth.toJSON().method).toBe('basic');
  });

  it('nothing given at all keeps the plain message', () => {
    expect(thrown(() => new AblyAuth({})).message).toBe('cannot authenticate: no key, token, tokenDetails, authCallback or authUrl given');
  });
});

describe('an unset environment variable passed as a Metquay option', () => {
  it('falls back to its METQUAY_* variable, and names both when that is unset too', () => {
    const env = { METQUAY_ACCESS_KEY: 'access-from-env', METQUAY_SECRET_KEY: 'secret-from-env', METQUAY_BASE_URL: 'http://127.0.0.1:1/api/v1' };
    expect(new MetquayAuth({ accessKey: UNSET, secretKey: UNSET, baseUrl: UNSET, env }).baseUrl).toBe('http://127.0.0.1:1/api/v1');
    const error = thrown(() => new MetquayAuth({ accessKey: UNSET, baseUrl: 'http://127.0.0.1:1/api/v1', env: { METQUAY_SECRET_KEY: 's' } }));
    expect(error.code).toBe(40106);
    expect(error.message).toContain('accessKey (option or METQUAY_ACCESS_KEY)');
  });
});

/**
 * Every option accepts `undefined` (a value read from `process.env`, or a conditional) and means
 * the same as leaving it out; a required one given as `undefined` is a ConfigurationError 40106
 * naming the option, never showing a value. The compile side is
 * test/docs/fixtures/options-take-undefined.ts; the Ably and Metquay constructors are in
 * test/ably/env-options.test.ts.
 */
import { thrownConfigurationError as thrown } from '../helpers/configuration-error';
import { refuseUnset, withoutUndefined } from '../../src/core/options';
import { TokenManager } from '../../src/core/token-manager';
import type { TokenEvent } from '../../src/core/telemetry';
import { BasicCredential, createSpecAuth } from '../../src/core/spec-auth';
import { OAuth2ClientCredentials, OAuth2RefreshToken } from '../../src/oauth2';
import { MutualTlsCredential } from '../../src/oauth2/mutual-tls-node';
import { resolveServerConfig } from '../../tokensmith-server/src/server/config';
import { DEFAULT_SPEC_SERVER_CONFIG, resolveSpecServerConfig } from '../../tokensmith-server/src/server/spec/config';
import { SERVICE, startOAuth2TestApp, type OAuth2TestApp } from '../oauth2/oauth2-app';

const UNSET: string | undefined = undefined;
const SECRET = 'not-in-any-message-7f3a9c';


describe('refuseUnset and withoutUndefined', () => {
  it('refuseUnset returns a value, and refuses undefined with 40106 naming it', () => {
    expect(refuseUnset('', 'x')).toBe('');
    const error = thrown(() => refuseUnset(UNSET, 'Thing "apiKey"'));
    expect(error.code).toBe(40106);
    expect(error.message).toBe('Thing "apiKey" is undefined (an unset environment variable?)');
  });

  it('withoutUndefined drops only undefined (null, 0, "" and false stay), and takes undefined itself', () => {
    expect(withoutUndefined({ a: undefined, b: null, c: 0, d: '', e: false })).toEqual({ b: null, c: 0, d: '', e: false });
    expect(Object.keys(withoutUndefined({ a: undefined }))).toEqual([]);
    expect(withoutUndefined(undefined)).toEqual({});
  });
});

describe('a required option given as undefined: 40106 at construction naming it, no secret in the message', () => {
  it.each([
    ['OAuth2ClientCredentials clientId', () => new OAuth2ClientCredentials({ clientId: UNSET, clientSecret: SECRET }), 'OAuth2ClientCredentials "clientId" is undefined'],
    ['OAuth2ClientCredentials clientSecret', () => new OAuth2ClientCredentials({ clientId: 'reports', clientSecret: UNSET }), 'OAuth2ClientCredentials "clientSecret" is undefined'],
    ['OAuth2RefreshToken clientId', () => new OAuth2RefreshToken({ clientId: UNSET, refreshToken: SECRET }), 'OAuth2RefreshToken "clientId" is undefined'],
    ['OAuth2RefreshToken refreshToken', () => new OAuth2RefreshToken({ clientId: 'cli', refreshToken: UNSET, clientSecret: SECRET }), 'OAuth2RefreshToken "refreshToken" is undefined'],
    ['MutualTlsCredential cert', () => new MutualTlsCredential({ cert: UNSET, key: SECRET }), 'MutualTlsCredential "cert" is undefined'],
    ['MutualTlsCredential key', () => new MutualTlsCredential({ cert: SECRET, key: UNSET }), 'MutualTlsCredential "key" is undefined'],
    ['BasicCredential password', () => new BasicCredential({ username: 'svc', password: UNSET }), 'credentials.password is undefined'],
    [
      'createSpecAuth basic password',
      () => createSpecAuth({ securitySchemes: { basicAuth: { type: 'http', scheme: 'basic' } }, operationSecurity: {} } as const, { credentials: { basicAuth: { username: SECRET, password: UNSET } } }),
      'credentials."basicAuth".password is undefined',
    ],
    ['createSpecAuth credential', () => createSpecAuth({ securitySchemes: { token: { type: 'http', scheme: 'bearer' } }, operationSecurity: {} } as const, { credentials: { token: UNSET } }), 'credentials."token" is undefined'],
  ])('%s', (_case, build, named) => {
    const error = thrown(build);
    expect(error.code).toBe(40106);
    expect(error.message).toBe(`${named} (an unset environment variable?)`);
    expect(error.message).not.toContain(SECRET);
  });
});

describe('an optional option given as undefined is the same as leaving it out', () => {
  it('TokenManager: undefined retry, lock and timing fields take their defaults', async () => {
    let fetches = 0;
    const manager = new TokenManager({
      fetchToken: async () => ({ token: `t${++fetches}` }),
      retry: { maxAttempts: undefined, baseDelayMs: undefined, maxDelayMs: undefined },
      lock: { ttlMs: undefined, pollMinMs: undefined },
      fetchTimeoutMs: undefined,
      acquireTimeoutMs: undefined,
      refreshMarginMs: undefined,
      provider: undefined,
      logger: undefined,
    });
    await expect(manager.getToken()).resolves.toEqual({ token: 't1' });
  });

  describe('OAuth2 over HTTP', () => {
    let app: OAuth2TestApp;
    beforeAll(async () => {
      app = await startOAuth2TestApp();
    });
    afterAll(() => app.close());

    it('an undefined tokenManager option keeps the default (token events still name oauth2)', async () => {
      const events: TokenEvent[] = [];
      const credentials = new OAuth2ClientCredentials({
        clientId: SERVICE.clientId,
        clientSecret: SERVICE.clientSecret,
        tokenUrl: `${app.url}/oauth2/token`,
        authMethod: undefined,
        defaultScopes: undefined,
        tokenManager: { provider: undefined, fetchTimeoutMs: undefined, retry: { maxAttempts: undefined }, onTokenEvent: (event) => events.push(event) },
      });
      const token = await credentials.getToken(['read']);
      expect(token.token).toMatch(/\S{16,}/);
      expect(events.map((event) => event.provider)).toContain('oauth2');
      expect(events.every((event) => event.provider === 'oauth2')).toBe(true);
    });
  });

  it('the server config: undefined fields and sections take their defaults', () => {
    const given = resolveServerConfig({
      ably: { keys: [{ key: 'app.key:server-secret', capability: undefined, revocableTokens: undefined }], maxTtlMs: undefined, defaultTtlMs: undefined },
      metquay: { tokenTtlSeconds: undefined, clients: undefined },
      oauth2: { tokenTtlSeconds: undefined, signingSecret: undefined },
      limits: { requestTimeoutMs: undefined },
      cors: undefined,
      allowedHosts: undefined,
    });
    const plain = resolveServerConfig({ ably: { keys: [{ key: 'app.key:server-secret' }] } });
    expect(given.ably).toEqual(plain.ably);
    expect(given.limits).toEqual(plain.limits);
    expect(given.metquay).toEqual(plain.metquay);
    expect(given.oauth2).toEqual(plain.oauth2);
    expect(given.cors).toEqual(plain.cors);
  });

  it('the spec server config: an undefined limit takes its default', () => {
    const config = resolveSpecServerConfig({ limits: { bodyLimitBytes: undefined, requestTimeoutMs: 5_000 }, tokens: undefined });
    expect(config.limits).toEqual({ ...DEFAULT_SPEC_SERVER_CONFIG.limits, requestTimeoutMs: 5_000 });
    expect(config.tokens).toEqual([]);
  });
});

import type { ServerConfigInput } from './config';

/**
 * The configuration `startAuthServer` and `tokensmith serve` use when given none. Its secrets are
 * public by design (the CLI prints them): use it on a laptop or in CI, never anywhere reachable.
 */

/** The demo credentials, printed by `tokensmith serve` when it runs without a config. */
export const DEMO_CREDENTIALS = Object.freeze({
  /** An Ably key allowed everything, `{"*":["*"]}`, with revocable tokens (`tokensmith ably revoke`). */
  ablyKey: 'demoApp.demoKey:demoKeySecret-public-do-not-use-in-production',
  /** An Ably key limited to `publish` and `history` on channels starting `allowed:`. */
  ablyLimitedKey: 'demoApp.limitedKey:limitedKeySecret-public-do-not-use-in-production',
  /** The capability of the limited demo key (`ablyLimitedKey`). */
  ablyLimitedCapability: Object.freeze({ 'allowed:*': Object.freeze(['history', 'publish']) }),
  /** The demo Metquay client's access key. */
  metquayAccessKey: 'demo-access-key',
  /** The demo Metquay client's secret key. */
  metquaySecretKey: 'demo-secret-key-public-do-not-use-in-production',
  /** The demo OAuth2 client's id (scopes `read` and `write`). */
  oauth2ClientId: 'demo-client',
  /** The demo OAuth2 client's secret. */
  oauth2ClientSecret: 'demo-client-secret-public-do-not-use-in-production',
});

/** A config with the {@link DEMO_CREDENTIALS} and every other field at its default. */
export function demoServerConfig(): ServerConfigInput {
  return {
    ably: {
      keys: [
        { key: DEMO_CREDENTIALS.ablyKey, capability: { '*': ['*'] }, revocableTokens: true },
        { key: DEMO_CREDENTIALS.ablyLimitedKey, capability: { 'allowed:*': ['history', 'publish'] } },
      ],
    },
    metquay: {
      clients: [{ accessKey: DEMO_CREDENTIALS.metquayAccessKey, secretKey: DEMO_CREDENTIALS.metquaySecretKey }],
    },
    oauth2: {
      clients: [{ clientId: DEMO_CREDENTIALS.oauth2ClientId, clientSecret: DEMO_CREDENTIALS.oauth2ClientSecret, scopes: ['read', 'write'] }],
    },
  };
}

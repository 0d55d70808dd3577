import * as Ably from 'ably';
import { FULL_KEY, LIMITED_KEY, METQUAY_CLIENT, basic, bearer, getToken, headerText, keyName, keySecret, seen, signTokenRequest, useSuiteServer } from './helpers';

// Every helper-driven suite checks, after its last test, that no configured secret appeared in any
// response body, response header or log line (see helpers.ts). This suite goes looking for leaks:
// it puts the secrets into every part of a request the server might echo.
const suite = useSuiteServer();
const secret = keySecret(FULL_KEY);
const PATH = `/keys/${keyName(FULL_KEY)}/requestToken`;

describe('no secret in any response or log line', () => {
  test.each<[string, string, Parameters<ReturnType<typeof suite>['call']>[2]]>([
    ['a malformed JSON body quoting the secret', PATH, { body: `{"mac": "${secret}`, headers: { 'content-type': 'application/json' } }],
    ['the secret as a wrongly typed field', PATH, { json: { ttl: secret, clientId: 5 } }],
    ['the secret as an unknown capability operation', PATH, { json: { capability: `{"*":["${secret}"]}` }, headers: { authorization: basic(FULL_KEY) } }],
    ['the secret as the mac', PATH, { json: { ...signTokenRequest(FULL_KEY, { timestamp: 0 }), mac: secret } }],
    ['the secret in a form body', PATH, { body: `secret=${secret}`, headers: { 'content-type': 'application/x-www-form-urlencoded' } }],
    ['a wrong secret with the right key name', '/channels/c/messages', { headers: { authorization: basic(`${keyName(FULL_KEY)}:${secret}x`) } }],
    ['the secret as a bearer token', '/channels/c/messages', { headers: { authorization: bearer(secret) } }],
    ['the secret in the query string', `/channels/c/messages?key=${encodeURIComponent(FULL_KEY)}`, {}],
    ['the secret as a channel name', `/channels/${encodeURIComponent(secret)}/messages`, { headers: { authorization: basic(LIMITED_KEY) } }],
    ['the secret in an unknown route', `/keys/${secret}`, {}],
    ['the Metquay secret as a wrong type', '/api/v1/authenticate', { json: { accessKey: METQUAY_CLIENT.accessKey, secretKey: [METQUAY_CLIENT.secretKey] } }],
    ['a wrong Metquay secret', '/api/v1/authenticate', { json: { accessKey: METQUAY_CLIENT.accessKey, secretKey: `${METQUAY_CLIENT.secretKey}x` } }],
    ['a Metquay secret in malformed JSON', '/api/v1/authenticate', { body: `{"secretKey":"${METQUAY_CLIENT.secretKey}`, headers: { 'content-type': 'application/json' } }],
  ])('%s', async (_label, path, options) => {
    const server = suite();
    const method = options?.json !== undefined || options?.body !== undefined ? 'POST' : 'GET';
    const response = await server.call(method, path, options);
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(response.status).toBeLessThan(500);
    const everything = [response.raw.toString('utf8'), headerText(response.headers), ...server.logLines].join('\n');
    expect(everything).not.toContain(secret);
    expect(everything).not.toContain(METQUAY_CLIENT.secretKey);
  });

  test('successful flows (SDK token exchange, Basic publish, Metquay authenticate) leak nothing either', async () => {
    const server = suite();
    const rest = new Ably.Rest({ key: FULL_KEY, useTokenAuth: true, restHost: '127.0.0.1', port: server.port, tls: false, logLevel: 0, queryTime: true });
    await rest.channels.get('c').publish('n', 'd');
    await getToken(server, LIMITED_KEY);
    await server.call('POST', '/api/v1/authenticate', { json: METQUAY_CLIENT });
    const log = [...server.logLines, ...seen].join('\n');
    expect(log).not.toContain(secret);
    expect(log).not.toContain(keySecret(LIMITED_KEY));
  });

  test('the leak check itself would notice a secret (guards against a vacuous check)', () => {
    expect([`x ${secret} y`].join('\n')).toContain(secret);
    expect(seen.length).toBeGreaterThan(20);
  });
});

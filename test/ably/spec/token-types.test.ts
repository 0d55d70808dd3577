/**
 * uts/rest/unit/types/token_types.md — TD1–TD5, TK1–TK6, TE1–TE6 — as compile-time checks of the
 * public types plus JSON round trips of what the API produces.
 */
import type { TokenDetails, TokenParams, TokenRequest } from '../../../src/ably';
import { KEY, setup, setupAuth } from '../helpers/client';
import { json } from '../helpers/mock-fetch';

describe('token types', () => {
  it('TD1–TD5 TokenDetails has token, expires, issued, capability, clientId; only token is required', () => {
    const full: TokenDetails = { token: 'test-token', expires: 1_234_567_890_000, issued: 1_234_567_800_000, capability: '{"*":["*"]}', clientId: 'my-client' };
    const bare: TokenDetails = { token: 'test-token' };
    // @ts-expect-error token is required
    const missing: TokenDetails = { expires: 1 };
    // @ts-expect-error expires is a number of ms
    const wrong: TokenDetails = { token: 't', expires: '1' };
    expect([full.expires, full.issued, full.capability, full.clientId, bare.token, missing, wrong]).toHaveLength(7);
  });

  it('TD TokenDetails from JSON keeps the known fields', async () => {
    const body = { token: 'deserialized-token', expires: 1_234_567_890_000, issued: 1_234_567_800_000, capability: '{"channel-1":["publish"]}', clientId: 'json-client', keyName: 'appId.keyId' };
    const { auth } = setup({ authUrl: 'https://auth.example.test/' }, () => json(200, body));
    expect(await auth.requestToken()).toEqual(body);
  });

  it('TK1–TK6 TokenParams fields are all optional; capability is an object or JSON text', () => {
    const empty: TokenParams = {};
    const all: TokenParams = { ttl: 7_200_000, capability: '{"*":["*"]}', clientId: 'full-client', timestamp: 1_234_567_890_000, nonce: 'full-nonce-0123456' };
    const object: TokenParams = { capability: { '*': ['subscribe'] } };
    // @ts-expect-error ttl is a number
    const wrong: TokenParams = { ttl: '1' };
    expect([empty.ttl, empty.capability, all, object, wrong]).toHaveLength(5);
  });

  it('TK TokenParams become query parameters of an authUrl GET', async () => {
    const { auth, requests } = setup({ authUrl: 'https://auth.example.test/' }, () => json(200, { token: 't' }));
    await auth.requestToken({ ttl: 3_600_000, clientId: 'query-client', capability: '{"ch":["pub"]}' });
    expect(Object.fromEntries(requests[0]!.url.searchParams)).toEqual({ ttl: '3600000', clientId: 'query-client', capability: '{"ch":["pub"]}' });
  });

  it('TE1–TE6 TokenRequest has keyName, ttl, capability, clientId, timestamp, nonce and mac; ttl and capability may be absent', async () => {
    const request: TokenRequest = await setupAuth({ key: KEY }).auth.createTokenRequest({ clientId: 'request-client' });
    expect(request).not.toHaveProperty('ttl');
    expect(request).not.toHaveProperty('capability');
    expect(typeof request.timestamp).toBe('number');
    expect(typeof request.mac).toBe('string');
    // @ts-expect-error mac is required on a signed request
    const unsigned: TokenRequest = { keyName: 'a.b', timestamp: 1, nonce: 'n' };
    expect(unsigned).toBeDefined();
  });

  it('TE TokenRequest to and from JSON is lossless', async () => {
    const request = await setupAuth({ key: KEY }).auth.createTokenRequest({ ttl: 3_600_000, capability: '{"*":["*"]}', clientId: 'json-client' });
    const parsed = JSON.parse(JSON.stringify(request)) as TokenRequest;
    expect(parsed).toEqual(request);
    expect(parsed).toMatchObject({ keyName: 'appId.keyId', ttl: 3_600_000, capability: '{"*":["*"]}', clientId: 'json-client' });
  });
});

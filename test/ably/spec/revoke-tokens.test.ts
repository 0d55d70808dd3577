/**
 * uts/rest/unit/auth/revoke_tokens.md — RSA17b–RSA17g, TRS2, TRF2 — against a mocked HTTP client.
 * The end-to-end behaviour (a revoked token answering 40141) is in test/server/revoke-tokens.test.ts.
 */
import { revokeTokens } from '../../../src/ably';
import { KEY, rejection, setupAuth } from '../helpers/client';
import { ablyError, basic, json } from '../helpers/mock-fetch';

const alice = { type: 'clientId', value: 'alice' };
const success = (target: string, issuedBefore = 1_700_000_000_000, appliesAt = 1_700_000_001_000) => ({ target, issuedBefore, appliesAt });
const failure = (target: string) => ({ target, error: { code: 40000, statusCode: 400, message: 'Invalid target type' } });
const batch = (results: unknown[]) => ({
  successCount: results.filter((r) => !('error' in (r as object))).length,
  failureCount: results.filter((r) => 'error' in (r as object)).length,
  results,
});

describe('RSA17 revokeTokens', () => {
  it('RSA17g_1 sends POST to /keys/{keyName}/revokeTokens', async () => {
    const { auth, requests } = setupAuth({ key: 'appId.keyName:keySecret' }, () => json(201, batch([success('clientId:alice')])));
    await revokeTokens(auth, [alice]);
    expect(requests).toHaveLength(1);
    expect(requests[0]!.method).toBe('POST');
    expect(requests[0]!.url.pathname).toBe('/keys/appId.keyName/revokeTokens');
  });

  it('RSA17_Auth_1 uses Basic authentication with the key', async () => {
    const { auth, requests } = setupAuth({ key: KEY }, () => json(201, batch([success('clientId:alice')])));
    await revokeTokens(auth, [alice]);
    expect(requests[0]!.headers.get('authorization')).toBe(basic(KEY));
  });

  it.each([
    ['RSA17b_1 a single specifier', [alice], ['clientId:alice']],
    [
      'RSA17b_2 several types',
      [alice, { type: 'revocationKey', value: 'group-1' }, { type: 'channel', value: 'secret' }],
      ['clientId:alice', 'revocationKey:group-1', 'channel:secret'],
    ],
  ])('%s: specifiers go as type:value strings in targets', async (_name, targets, sent) => {
    const { auth, requests } = setupAuth({ key: KEY }, () => json(201, batch(sent.map((target) => success(target)))));
    await revokeTokens(auth, targets);
    expect(JSON.parse(requests[0]!.body).targets).toEqual(sent);
  });

  it.each([
    ['RSA17c_1 all success', [success('clientId:alice'), success('clientId:bob')], 2, 0],
    ['RSA17c_2 mixed', [success('clientId:alice'), failure('invalidType:abc')], 1, 1],
    ['RSA17c_3 all failure', [failure('invalidType:foo'), failure('invalidType:bar')], 0, 2],
  ])('%s: a BatchResult with counts', async (_name, results, successCount, failureCount) => {
    const { auth } = setupAuth({ key: KEY }, () => json(201, batch(results)));
    const result = await revokeTokens(auth, [alice]);
    expect(result.successCount).toBe(successCount);
    expect(result.failureCount).toBe(failureCount);
    expect(result.results).toHaveLength(results.length);
  });

  it('RSA17c legacy plain-array answer is counted by the client', async () => {
    const { auth } = setupAuth({ key: KEY }, () => json(200, [success('clientId:alice'), success('clientId:bob')]));
    expect(await revokeTokens(auth, [alice, { type: 'clientId', value: 'bob' }])).toMatchObject({ successCount: 2, failureCount: 0 });
  });

  it('TRS2_1 a success result holds target, issuedBefore and appliesAt', async () => {
    const { auth } = setupAuth({ key: KEY }, () => json(201, batch([success('clientId:alice')])));
    const [result] = (await revokeTokens(auth, [alice])).results;
    expect(result).toEqual({ target: 'clientId:alice', issuedBefore: 1_700_000_000_000, appliesAt: 1_700_000_001_000 });
  });

  it('TRF2_1 a failure result holds target and an ErrorInfo', async () => {
    const { auth } = setupAuth({ key: KEY }, () => json(201, batch([failure('invalidType:abc')])));
    const [result] = (await revokeTokens(auth, [{ type: 'invalidType', value: 'abc' }])).results;
    expect(result).toMatchObject({ target: 'invalidType:abc', error: { code: 40000, statusCode: 400 } });
    expect('error' in result! && result.error.message).toContain('Invalid target type');
  });

  it.each([
    ['RSA17d_1 a token string', { token: 'a.token.string' }],
    ['RSA17d_2 useTokenAuth with a key', { key: KEY, useTokenAuth: true }],
  ])('%s: token auth is refused with 40162/401 and nothing is sent', async (_name, options) => {
    const { auth, requests } = setupAuth(options, () => json(201, []));
    const error = await rejection(revokeTokens(auth, [alice]));
    expect(error.code).toBe(40162);
    expect(error.statusCode).toBe(401);
    expect(requests).toHaveLength(0);
  });

  it('RSA17e_1 issuedBefore is sent when given; RSA17e_2 omitted otherwise', async () => {
    const { auth, requests } = setupAuth({ key: KEY }, () => json(201, batch([success('clientId:alice', 1_699_999_000_000)])));
    await revokeTokens(auth, [alice], { issuedBefore: 1_699_999_000_000 });
    await revokeTokens(auth, [alice]);
    expect(JSON.parse(requests[0]!.body).issuedBefore).toBe(1_699_999_000_000);
    expect(JSON.parse(requests[1]!.body)).not.toHaveProperty('issuedBefore');
  });

  it('RSA17f_1/2/3 allowReauthMargin is sent when given, with issuedBefore too', async () => {
    const { auth, requests } = setupAuth({ key: KEY }, () => json(201, batch([success('clientId:alice')])));
    await revokeTokens(auth, [alice], { allowReauthMargin: true });
    await revokeTokens(auth, [alice]);
    await revokeTokens(auth, [alice], { issuedBefore: 1_699_999_000_000, allowReauthMargin: true });
    expect(JSON.parse(requests[0]!.body).allowReauthMargin).toBe(true);
    expect(JSON.parse(requests[1]!.body)).not.toHaveProperty('allowReauthMargin');
    expect(JSON.parse(requests[2]!.body)).toEqual({ targets: ['clientId:alice'], issuedBefore: 1_699_999_000_000, allowReauthMargin: true });
  });

  it('RSA17_Error_1 a server-level error rejects with its code', async () => {
    const { auth } = setupAuth({ key: KEY }, () => ablyError(500, 50000, 'Internal error'));
    const error = await rejection(revokeTokens(auth, [alice]));
    expect(error).toMatchObject({ code: 50000, statusCode: 500 });
  });

  it.each([
    ['no targets', []],
    ['an empty value', [{ type: 'clientId', value: '' }]],
  ])('bad arguments are refused with 40003 before sending: %s', async (_name, targets) => {
    const { auth, requests } = setupAuth({ key: KEY }, () => json(201, []));
    const error = await rejection(revokeTokens(auth, targets));
    expect(error.code).toBe(40003);
    expect(error.message).not.toContain('keySecret');
    expect(requests).toHaveLength(0);
  });
});

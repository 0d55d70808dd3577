import { ablySecurity } from '../../src';
import { FULL_KEY, basic, expectAblyError, keyName, useSuiteServer, type CallOptions } from './helpers';

// The Ably routes authenticate in one hook driven by the spec's `security` map: every operation
// the map protects must refuse a request without credentials, and check them only after the
// route schema accepted the request (a bad request is 400 whatever its credentials).

const suite = useSuiteServer();

type Operation = keyof typeof ablySecurity.operationSecurity;

// A request each operation's schema accepts, and one it refuses.
const SAMPLES: Record<Operation, { path: string; valid?: CallOptions; invalid?: { path?: string } & CallOptions }> = {
  'POST /keys/{keyName}/requestToken': { path: `/keys/${keyName(FULL_KEY)}/requestToken`, valid: { json: {} } },
  'POST /keys/{keyName}/revokeTokens': { path: `/keys/${keyName(FULL_KEY)}/revokeTokens`, valid: { json: { targets: ['clientId:a'] } }, invalid: { json: { targets: 'clientId:a' } } },
  'GET /time': { path: '/time' },
  'GET /channels/{channelId}': { path: '/channels/chat' },
  'GET /channels/{channelId}/messages': { path: '/channels/chat/messages', invalid: { path: '/channels/chat/messages?limit=nope' } },
  'POST /channels/{channelId}/messages': { path: '/channels/chat/messages', valid: { json: { name: 'a' } }, invalid: { json: { name: 5 } } },
  'GET /channels/{channelId}/messages/{serial}': { path: '/channels/chat/messages/0000000000000001' },
  'PATCH /channels/{channelId}/messages/{serial}': { path: '/channels/chat/messages/0000000000000001', valid: { json: { name: 'b' } }, invalid: { json: { name: 5 } } },
  'GET /channels/{channelId}/messages/{serial}/versions': { path: '/channels/chat/messages/0000000000000001/versions' },
  'GET /channels/{channelId}/messages/{serial}/annotations': { path: '/channels/chat/messages/0000000000000001/annotations' },
  'POST /channels/{channelId}/messages/{serial}/annotations': { path: '/channels/chat/messages/0000000000000001/annotations', valid: { json: { type: 'reaction' } }, invalid: { json: { type: 5 } } },
  'GET /channels/{channelId}/presence': { path: '/channels/chat/presence' },
  'GET /channels/{channelId}/presence/history': { path: '/channels/chat/presence/history' },
  'POST /messages': { path: '/messages', valid: { json: { channels: ['chat'], messages: { name: 'a' } } }, invalid: { json: { channels: 'chat' } } },
  'GET /presence': { path: '/presence?channels=chat', invalid: { path: '/presence' } },
  'GET /stats': { path: '/stats', invalid: { path: '/stats?limit=nope' } },
};

const operations = Object.entries(ablySecurity.operationSecurity) as Array<[Operation, ReadonlyArray<object>]>;
const protectedOps = operations.filter(([, alternatives]) => alternatives.length > 0 && alternatives.every((alternative) => Object.keys(alternative).length > 0));

test('the spec protects every Ably operation but time and requestToken (which checks its own credentials)', () => {
  expect(operations.map(([operation]) => operation).sort()).toEqual(Object.keys(SAMPLES).sort());
  expect(protectedOps).toHaveLength(operations.length - 2);
});

describe.each(protectedOps.map(([operation]) => [operation]))('%s', (operation) => {
  const sample = SAMPLES[operation];
  const method = operation.split(' ')[0] as string;

  test('no credentials: 401 40101', async () => {
    expectAblyError(await suite().call(method, sample.path, sample.valid), 40101, 401);
  });

  test('a key the app does not have: 401 40400', async () => {
    const headers = { authorization: basic('testApp.nokey:secret') };
    expectAblyError(await suite().call(method, sample.path, { ...sample.valid, headers }), 40400, 401);
  });

  test('valid credentials pass the hook to the handler (never a credentials error, never 5xx)', async () => {
    const response = await suite().call(method, sample.path, { ...sample.valid, headers: { authorization: basic(FULL_KEY) } });
    // The handlers' own answers may follow (40400 with 404 for an unknown message serial, 40164 with
    // 401 for a key without revocable tokens), but not the hook's refusals.
    const refusal = { status: response.status, code: response.body?.error?.code };
    expect([{ status: 401, code: 40101 }, { status: 401, code: 40400 }]).not.toContainEqual(refusal);
    expect(response.status).toBeLessThan(500);
  });

  if (sample.invalid) {
    const invalid = sample.invalid;
    test('a request the schema refuses is 400 before credentials are looked at', async () => {
      const response = await suite().call(method, invalid.path ?? sample.path, invalid);
      expect(response.status).toBe(400);
    });
  }
});

// The sandbox's own controls (`POST /stats`, `DELETE /apps/{appId}`) go through the same rules,
// judged against the app their Basic key name belongs to; the kind and app checks stay in handlers.
describe('sandbox controls', () => {
  async function provision(): Promise<{ appId: string; keyStr: string }> {
    const response = await suite().call('POST', '/apps', { json: {} });
    expect(response.status).toBe(201);
    const body = response.body as { appId: string; keys: Array<{ keyStr: string }> };
    return { appId: body.appId, keyStr: body.keys[0]!.keyStr };
  }

  test('DELETE /apps/{appId}: no credentials 401 40101, wrong secret 40101, unknown key 40400, a key of another app 40100', async () => {
    const { appId, keyStr } = await provision();
    const path = `/apps/${appId}`;
    expectAblyError(await suite().call('DELETE', path), 40101, 401);
    expectAblyError(await suite().call('DELETE', path, { headers: { authorization: basic(`${keyName(keyStr)}:wrong`) } }), 40101, 401);
    expectAblyError(await suite().call('DELETE', path, { headers: { authorization: basic(`${appId}.nokey:secret`) } }), 40400, 401);
    expectAblyError(await suite().call('DELETE', path, { headers: { authorization: basic(FULL_KEY) } }), 40100, 401);
    expect((await suite().call('DELETE', path, { headers: { authorization: basic(keyStr) } })).status).toBe(204);
  });

  test('POST /stats: a body the schema refuses is 400 before credentials are looked at; then the app key is checked', async () => {
    const { keyStr } = await provision();
    expect((await suite().call('POST', '/stats', { json: { not: 'a list' } })).status).toBe(400);
    expectAblyError(await suite().call('POST', '/stats', { json: [] }), 40101, 401);
    expect((await suite().call('POST', '/stats', { json: [], headers: { authorization: basic(keyStr) } })).status).toBe(201);
  });
});

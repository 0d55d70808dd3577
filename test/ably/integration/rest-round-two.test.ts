/**
 * `createAblyClient` calls every route the offline Ably REST gained in round two, typed from the
 * bundled spec and with the auth its security map names (a key, or a token it fetched itself).
 */
import { createAblyClient } from '../../../src/client';
import { DEMO_CREDENTIALS, startLocalAbly } from '../helpers/server';

let local: Awaited<ReturnType<typeof startLocalAbly>>;

beforeAll(async () => {
  local = await startLocalAbly();
});
afterAll(() => local.server.close());
beforeEach(() => local.admin.reset());

describe.each([
  ['Basic auth', false],
  ['token auth', true],
])('the typed client with %s', (_label, useTokenAuth) => {
  const client = () => createAblyClient({ baseUrl: local.url, key: DEMO_CREDENTIALS.ablyKey, useTokenAuth });

  it('walks history one page at a time through the cursor of each next link', async () => {
    const ably = client();
    for (const name of ['a', 'b', 'c']) {
      await ably.POST('/channels/{channelId}/messages', { params: { path: { channelId: 'walk' } }, body: { name, id: `id-${name}` } });
    }
    const names: string[] = [];
    let cursor: string | undefined;
    for (let pages = 0; pages < 5; pages++) {
      const { data, response } = await ably.GET('/channels/{channelId}/messages', {
        params: { path: { channelId: 'walk' }, query: { limit: 1, ...(cursor === undefined ? {} : { cursor }) } },
      });
      names.push(...(data ?? []).map((message) => message.name as string));
      cursor = /[?&]cursor=(\d+)[^>]*>; rel="next"/.exec(response.headers.get('link') ?? '')?.[1];
      if (cursor === undefined) break;
    }
    expect(names).toEqual(['c', 'b', 'a']);
  });

  it('publishes idempotently, batch-publishes, reads presence, presence history and batch presence', async () => {
    const ably = client();
    for (let i = 0; i < 3; i++) {
      const { response } = await ably.POST('/channels/{channelId}/messages', { params: { path: { channelId: 'idem' } }, body: { id: 'retry-1', data: 'x' } });
      expect(response.status).toBe(201);
    }
    expect((await ably.GET('/channels/{channelId}/messages', { params: { path: { channelId: 'idem' } } })).data).toHaveLength(1);
    const batch = await ably.POST('/messages', { body: { channels: ['b1', 'b2'], messages: { data: 'hi' } } });
    expect(batch.data?.[0]?.successCount).toBe(2);
    expect((await ably.GET('/channels/{channelId}/presence', { params: { path: { channelId: 'room' } } })).data).toEqual([]);
    expect((await ably.GET('/channels/{channelId}/presence/history', { params: { path: { channelId: 'room' } } })).data).toEqual([]);
    expect((await ably.GET('/presence', { params: { query: { channels: 'room,lobby' } } })).data?.successCount).toBe(2);
  });

  it('gets, changes and lists versions and annotations of a message by serial; reads stats', async () => {
    const ably = client();
    const channel = { channelId: 'moderated' };
    const published = await ably.POST('/channels/{channelId}/messages', { params: { path: channel }, body: { name: 'post', data: 'helo' } });
    const serial = published.data?.serials?.[0] as string;
    const path = { ...channel, serial };
    const change = await ably.PATCH('/channels/{channelId}/messages/{serial}', { params: { path }, body: { action: 1, data: 'hello', version: { description: 'typo' } } });
    expect(change.data?.versionSerial).toEqual(expect.any(String));
    expect((await ably.GET('/channels/{channelId}/messages/{serial}', { params: { path } })).data).toMatchObject({ data: 'hello', action: 1 });
    expect((await ably.GET('/channels/{channelId}/messages/{serial}/versions', { params: { path } })).data).toHaveLength(2);
    expect((await ably.POST('/channels/{channelId}/messages/{serial}/annotations', { params: { path }, body: { type: 'reaction:distinct.v1', name: 'ok' } })).response.status).toBe(201);
    expect((await ably.GET('/channels/{channelId}/messages/{serial}/annotations', { params: { path } })).data?.map((a) => a.name)).toEqual(['ok']);
    expect((await ably.GET('/stats', { params: { query: { unit: 'hour' } } })).response.status).toBe(200);
  });
});

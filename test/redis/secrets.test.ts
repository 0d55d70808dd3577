import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { AblyAuth } from '../../src/ably';
import { MetquayAuth } from '../../src/metquay';
import { RedisTokenStore } from '../../src/redis';
import { DEMO_CREDENTIALS, startAuthServer, type AuthServer } from '../../tokensmith-server/src/server';
import { describeWithRedis } from './helpers/env';
import { startOwnRedis, type OwnRedis } from './helpers/redis-server';

const ablySecret = DEMO_CREDENTIALS.ablyKey.split(':')[1] ?? '';
const ablyKeyName = DEMO_CREDENTIALS.ablyKey.split(':')[0] ?? '';
const b64 = (text: string) => Buffer.from(text).toString('base64');
const SECRETS = [
  DEMO_CREDENTIALS.metquaySecretKey,
  ablySecret,
  b64(DEMO_CREDENTIALS.ablyKey),
  b64(`${DEMO_CREDENTIALS.metquayAccessKey}:${DEMO_CREDENTIALS.metquaySecretKey}`),
];

describeWithRedis('secrets in Redis', () => {
  let redis: OwnRedis;
  let server: AuthServer;
  let scan: Redis;

  beforeAll(async () => {
    [redis, server] = await Promise.all([startOwnRedis(), startAuthServer({ port: 0, admin: true })]);
    scan = new Redis(redis.url);
  });
  afterAll(async () => {
    scan?.disconnect();
    await Promise.all([redis?.dispose(), server?.close()]);
  });
  beforeEach(async () => {
    await scan.flushall();
  });

  /** Every key and every value (and every pub/sub message) in the whole Redis, as text. */
  async function everything(messages: string[]): Promise<{ keys: string[]; text: string }> {
    const keys: string[] = [];
    let cursor = '0';
    do {
      const [next, batch] = await scan.scan(cursor, 'COUNT', 1000);
      keys.push(...batch);
      cursor = next;
    } while (cursor !== '0');
    const values = await Promise.all(keys.map(async (key) => ((await scan.type(key)) === 'string' ? ((await scan.get(key)) ?? '') : `<${key} not a string>`)));
    return { keys: keys.sort(), text: [...keys, ...values, ...messages].join('\n') };
  }

  async function fleetRun(encryptionKey?: Uint8Array): Promise<{ keys: string[]; text: string; tokens: string[] }> {
    const messages: string[] = [];
    const listener = scan.duplicate();
    await listener.psubscribe('*');
    listener.on('pmessage', (_pattern: string, channel: string, message: string) => messages.push(channel, message));
    const store = new RedisTokenStore({ url: redis.url, prefix: 'app:', ...(encryptionKey ? { encryptionKey } : {}) });
    try {
      const metquay = new MetquayAuth({
        baseUrl: `${server.url}/api/v1`,
        accessKey: DEMO_CREDENTIALS.metquayAccessKey,
        secretKey: DEMO_CREDENTIALS.metquaySecretKey,
        store,
      });
      const ably = new AblyAuth({ key: DEMO_CREDENTIALS.ablyKey, baseUrl: server.url, store });
      const tokens = [await metquay.getToken(), (await ably.authorize()).token];
      await new Promise((resolve) => setTimeout(resolve, 50)); // the last publish reaches the listener
      return { ...(await everything(messages)), tokens };
    } finally {
      listener.disconnect();
      await store.close();
    }
  }

  it('holds one entry per credential, keyed by identity hash, with no key secret or secretKey', async () => {
    const { keys, text, tokens } = await fleetRun();
    expect(keys).toEqual([expect.stringMatching(/^app:{tokensmith:v1:[0-9a-f]{64}}$/), expect.stringMatching(/^app:{tokensmith:v1:[0-9a-f]{64}}$/)]);
    for (const secret of SECRETS) expect(text).not.toContain(secret);
    // The scan does see what is there: the tokens, stored in the clear without a key.
    for (const token of tokens) expect(text).toContain(token);
    expect(text).toContain(ablyKeyName);
  });

  it('with an encryption key holds no token either, in any form', async () => {
    const { keys, text, tokens } = await fleetRun(randomBytes(32));
    expect(keys).toHaveLength(2);
    expect(tokens).toHaveLength(2);
    for (const needle of [...SECRETS, ...tokens, ...tokens.map(b64)]) expect(text).not.toContain(needle);
  });
});

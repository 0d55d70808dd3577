import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_SERVER_CONFIG, DEMO_CREDENTIALS, demoServerConfig, loadServerConfig, resolveServerConfig, startAuthServer } from '../../tokensmith-server/src/server';
import { ConfigurationError } from '../../src/core/errors';

const KEY = 'app.key:config-test-secret-123456';

describe('resolveServerConfig', () => {
  test('an empty config is every default, with no credentials', () => {
    const config = resolveServerConfig({});
    expect(config.ably).toMatchObject({ ...DEFAULT_SERVER_CONFIG.ably, keys: [] });
    expect(config.limits).toEqual(DEFAULT_SERVER_CONFIG.limits);
    expect(config.metquay).toMatchObject({ clients: [], tokenTtlSeconds: 900, rateLimitPerMinute: 100 });
  });

  test('a partial config is merged over the defaults, field by field', () => {
    const config = resolveServerConfig({ ably: { keys: [{ key: KEY }], maxTtlMs: 7_200_000 }, limits: { bodyLimitBytes: 2048 } });
    expect(config.ably.maxTtlMs).toBe(7_200_000);
    expect(config.ably.defaultTtlMs).toBe(3_600_000);
    expect(config.ably.timestampWindowMs).toBe(600_000);
    expect(config.limits).toEqual({ bodyLimitBytes: 2048, requestLogSize: 1000 });
    expect(config.ably.keys).toEqual([{ keyName: 'app.key', secret: 'config-test-secret-123456', capability: { '*': ['*'] } }]);
  });

  test('a capability may be given as JSON text', () => {
    const config = resolveServerConfig({ ably: { keys: [{ key: KEY, capability: '{"chat:*":["publish"]}' }] } });
    expect({ ...config.ably.keys[0]!.capability }).toEqual({ 'chat:*': ['publish'] });
  });

  test.each<[string, unknown, string]>([
    ['a key without a secret', { ably: { keys: [{ key: 'app.key' }] } }, 'ably.keys[0].key'],
    ['a key without an app id', { ably: { keys: [{ key: 'key:secret' }] } }, 'ably.keys[0].key'],
    ['a duplicate key name', { ably: { keys: [{ key: KEY }, { key: 'app.key:other' }] } }, 'ably.keys[1].key'],
    ['a bad capability', { ably: { keys: [{ key: KEY, capability: { '*': 'publish' } }] } }, 'ably.keys[0].capability'],
    ['an unknown operation', { ably: { keys: [{ key: KEY, capability: { '*': ['fly'] } }] } }, 'ably.keys[0].capability'],
    ['a negative ttl', { ably: { defaultTtlMs: -1 } }, 'ably.defaultTtlMs'],
    ['a fractional limit', { limits: { bodyLimitBytes: 1.5 } }, 'limits.bodyLimitBytes'],
    ['a default ttl above the maximum', { ably: { defaultTtlMs: 10, maxTtlMs: 5 } }, 'ably.defaultTtlMs'],
    ['an unknown top-level field', { ablyy: {} }, 'config.ablyy'],
    ['an unknown ably field', { ably: { timestampWindow: 5 } }, 'ably.timestampWindow'],
    ['keys that are not an array', { ably: { keys: {} } }, 'ably.keys'],
    ['a Metquay client without a secret', { metquay: { clients: [{ accessKey: 'a' }] } }, 'metquay.clients[0].secretKey'],
  ])('%s is a ConfigurationError naming the field', (_label, input, field) => {
    let caught: unknown;
    try {
      resolveServerConfig(input as never);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ConfigurationError);
    expect((caught as ConfigurationError).code).toBe(40003);
    expect((caught as Error).message).toContain(field);
    expect((caught as Error).message).not.toContain('config-test-secret');
  });
});

describe('config files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tokensmith-config-'));

  test('a JSON file is read and resolved', async () => {
    const path = join(dir, 'ok.json');
    writeFileSync(path, JSON.stringify({ ably: { keys: [{ key: KEY }] }, metquay: { tokenTtlSeconds: 60 } }));
    const config = await loadServerConfig(path);
    expect(config.ably.keys[0]?.keyName).toBe('app.key');
    expect(config.metquay.tokenTtlSeconds).toBe(60);
  });

  test('a file that is not JSON fails without quoting it', async () => {
    const path = join(dir, 'bad.json');
    writeFileSync(path, `{"ably": {"keys": [{"key": "${KEY}"`);
    await expect(loadServerConfig(path)).rejects.toThrow(`config file ${JSON.stringify(path)} is not valid JSON`);
    await expect(loadServerConfig(path)).rejects.not.toThrow(/config-test-secret/);
  });

  test('a missing file fails with a typed error naming its path', async () => {
    const path = join(dir, 'missing.json');
    await expect(loadServerConfig(path)).rejects.toMatchObject({ code: 40003, message: `config file ${JSON.stringify(path)} does not exist` });
  });

  test('a file that cannot be read names its path and the system code', async () => {
    await expect(loadServerConfig(dir)).rejects.toMatchObject({ code: 40003, message: `config file ${JSON.stringify(dir)} could not be read (EISDIR)` });
  });

  test('startAuthServer accepts a file path', async () => {
    const path = join(dir, 'server.json');
    writeFileSync(path, JSON.stringify({ ably: { keys: [{ key: KEY }] } }));
    const server = await startAuthServer({ config: path });
    try {
      const response = await fetch(`${server.url}/channels/x/messages`, { headers: { authorization: `Basic ${Buffer.from(KEY).toString('base64')}` } });
      expect(response.status).toBe(200);
    } finally {
      await server.close();
    }
  });
});

describe('demo config', () => {
  test('without a config the server accepts the demo credentials, and the limited key is limited', async () => {
    const server = await startAuthServer();
    try {
      const auth = (key: string) => ({ authorization: `Basic ${Buffer.from(key).toString('base64')}` });
      expect((await fetch(`${server.url}/channels/any/messages`, { headers: auth(DEMO_CREDENTIALS.ablyKey) })).status).toBe(200);
      expect((await fetch(`${server.url}/channels/allowed:x/messages`, { headers: auth(DEMO_CREDENTIALS.ablyLimitedKey) })).status).toBe(200);
      expect((await fetch(`${server.url}/channels/other/messages`, { headers: auth(DEMO_CREDENTIALS.ablyLimitedKey) })).status).toBe(401);
      const metquay = await fetch(`${server.url}/api/v1/authenticate`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ accessKey: DEMO_CREDENTIALS.metquayAccessKey, secretKey: DEMO_CREDENTIALS.metquaySecretKey }),
      });
      expect(metquay.status).toBe(200);
    } finally {
      await server.close();
    }
  });

  test('the demo config resolves cleanly and matches the printed credentials', () => {
    const config = resolveServerConfig(demoServerConfig());
    expect(config.ably.keys.map((key) => `${key.keyName}:${key.secret}`)).toEqual([DEMO_CREDENTIALS.ablyKey, DEMO_CREDENTIALS.ablyLimitedKey]);
  });

  test('an invalid config makes startAuthServer reject before listening', async () => {
    await expect(startAuthServer({ config: { ably: { maxTtlMs: 0 } } })).rejects.toMatchObject({ code: 40003 });
  });
});

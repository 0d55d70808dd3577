/** A RedisTokenStore printed or copied shows its prefix only: never the URL's password, the encryption key or a token. */
import { format, inspect } from 'node:util';
import { RedisTokenStore } from '../../src/redis';
import { describeWithRedis } from './helpers/env';

describeWithRedis('RedisTokenStore printing', (redisUrl) => {
  test('no view shows the password in the URL, the encryption key or a stored token', async () => {
    const url = new URL(redisUrl);
    url.username = 'default';
    url.password = 'url-password-0123';
    const key = Buffer.alloc(32, 0x5a);
    const store = new RedisTokenStore({ url: url.href, prefix: 'printing:', encryptionKey: key });
    try {
      const views = [
        inspect(store, { depth: 10, showHidden: true }),
        format(store),
        JSON.stringify(store),
        String(store),
        inspect(Object.entries(store), { depth: 10, showHidden: true }),
      ];
      for (const view of views) {
        expect(view).not.toContain('url-password-0123');
        expect(view).not.toContain(key.toString('base64'));
        expect(view).not.toContain('90, 90, 90');
      }
      expect(JSON.stringify(store)).toBe('{"prefix":"printing:"}');
    } finally {
      await store.close();
    }
  });
});

import { ConfigurationError } from '../../src/core/errors';
import { RedisTokenStore, type RedisTokenStoreOptions } from '../../src/redis';
import { failureReason, storeFailure } from '../../src/redis/availability';
import { TokenCodec } from '../../src/redis/codec';
import { reconnectDelayMs } from '../../src/redis/connection';
import { DEFAULT_REDIS_TOKEN_STORE_OPTIONS } from '../../src/redis/options';

// No Redis needed: option checks, backoff, error scrubbing and the value codec.

describe('RedisTokenStore options', () => {
  it.each<[string, RedisTokenStoreOptions, string]>([
    ['url and client together', { url: 'redis://127.0.0.1:1', client: {} as never }, '"url" or "client"'],
    ['a url that is not redis://', { url: 'http://127.0.0.1:6379' }, '"url"'],
    ['a client that is not ioredis', { client: {} as never }, '"client"'],
    ['a prefix that is not a string', { prefix: 1 as never }, '"prefix"'],
    ['an encryption key of 16 bytes', { encryptionKey: new Uint8Array(16) }, '"encryptionKey"'],
    ['an encryption key given as a string', { encryptionKey: 'k'.repeat(32) as never }, '"encryptionKey"'],
    ['a zero command timeout', { commandTimeoutMs: 0 }, '"commandTimeoutMs"'],
    ['a fractional connect timeout', { connectTimeoutMs: 1.5 }, '"connectTimeoutMs"'],
    ['a negative slow-retry pause', { slowRetryMs: -1 }, '"slowRetryMs"'],
    ['a non-numeric reconnect delay', { reconnectMaxDelayMs: '5' as never }, '"reconnectMaxDelayMs"'],
  ])('refuses %s with 40003 naming the option, never its value', (_case, options, named) => {
    const input = 'url' in options || 'client' in options ? options : { ...options, url: 'redis://:pw-value@127.0.0.1:1' };
    const attempt = () => new RedisTokenStore(input);
    expect(attempt).toThrow(ConfigurationError);
    try {
      attempt();
    } catch (error) {
      expect(error).toMatchObject({ code: 40003, message: expect.stringContaining(named) });
      expect((error as Error).message).not.toContain('pw-value');
    }
  });

  it('exports its defaults', () => {
    expect(DEFAULT_REDIS_TOKEN_STORE_OPTIONS).toEqual({
      url: 'redis://127.0.0.1:6379',
      prefix: '',
      commandTimeoutMs: 500,
      connectTimeoutMs: 1_000,
      slowRetryMs: 2_000,
      reconnectMaxDelayMs: 2_000,
    });
    expect(Object.isFrozen(DEFAULT_REDIS_TOKEN_STORE_OPTIONS)).toBe(true);
  });

  it('takes only documented options (type-level)', () => {
    // @ts-expect-error commandTimeoutMs is a number of ms
    const bad: RedisTokenStoreOptions = { commandTimeoutMs: '500' };
    expect(bad).toBeDefined();
  });
});

describe('reconnect backoff', () => {
  it.each([
    [1, 50],
    [2, 100],
    [3, 200],
    [6, 1_600],
    [7, 2_000],
    [1_000, 2_000],
  ])('attempt %i has a ceiling of %i ms (doubling from 50, capped at 2 s), jittered down to half', (attempt, ceiling) => {
    expect(reconnectDelayMs(attempt, 2_000, () => 0)).toBe(Math.round(ceiling / 2));
    expect(reconnectDelayMs(attempt, 2_000, () => 0.5)).toBe(Math.round(ceiling * 0.75));
    expect(reconnectDelayMs(attempt, 2_000, () => 1 - Number.EPSILON)).toBe(ceiling);
  });
});

describe('store errors', () => {
  it.each([
    [new Error('Command timed out'), 'command timed out', 50003],
    [new Error("Stream isn't writeable and enableOfflineQueue options is false"), 'not connected', 80000],
    [new Error('Connection is closed.'), 'not connected', 80000],
    [Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:6379'), { code: 'ECONNREFUSED' }), 'ECONNREFUSED', 80000],
    [Object.assign(new Error('WRONGTYPE Operation against a key holding the wrong kind of value'), { name: 'ReplyError' }), 'reply error WRONGTYPE', 80000],
  ])('%p becomes a TransportError saying %p', (cause, reason, code) => {
    const error = storeFailure('get', cause);
    expect(error).toMatchObject({ name: 'TransportError', code, message: `redis token store get failed: ${reason}` });
    expect(failureReason(cause)).toBe(reason);
  });

  it('never carries what an ioredis error holds about the command (a token being stored)', () => {
    const cause = Object.assign(new Error("ERR unknown command 'x', with args beginning with: 'token-abc'"), {
      name: 'ReplyError',
      command: { name: 'set', args: ['k', 'token-abc'] },
    });
    const error = storeFailure('set', cause);
    expect(JSON.stringify({ ...error, message: error.message, cause: error.cause })).not.toContain('token-abc');
  });
});

describe('value codec', () => {
  const state = { value: { token: 'token-abc', expiresAt: 2_000 }, obtainedAt: 1_000, expiresAt: 2_000 };

  it('without a key writes plain JSON', () => {
    const codec = new TokenCodec(undefined);
    expect(JSON.parse(codec.encode('k', state))).toEqual(state);
    expect(codec.decode('k', codec.encode('k', state))).toEqual(state);
  });

  it('with a key binds the value to its Redis key and detects tampering', () => {
    const codec = new TokenCodec(new Uint8Array(32).fill(7));
    const raw = codec.encode('k', state);
    expect(codec.decode('k', raw)).toEqual(state);
    expect(codec.decode('other', raw)).toBe('decryption failed');
    const body = Buffer.from(raw.slice(5), 'base64');
    body[20] = (body[20] ?? 0) ^ 1;
    expect(codec.decode('k', `tse1:${body.toString('base64')}`)).toBe('decryption failed');
    expect(codec.decode('k', 'tse1:AAAA')).toBe('malformed');
  });

  it.each(['secretKey', 'keySecret', 'password', 'privateKey'])('refuses a state carrying a field named %p', (field) => {
    const leaky = { ...state, value: { ...state.value, nested: { [field]: 'x' } } };
    expect(() => new TokenCodec(undefined).encode('k', leaky)).toThrow(expect.objectContaining({ code: 40003 }));
  });
});

/**
 * Where one store key lives in Redis. The token, its lock and its update channel share the hash
 * tag `{prefix-free key}`, so on Redis Cluster they sit in one slot: the Lua scripts touch the
 * token or lock and publish on the channel in one atomic step on one node.
 */
export interface KeyLayout {
  /** The token state: `prefix{key}`. */
  state: string;
  /** The fetch lock: `prefix{key}:lock`. */
  lock: string;
  /** The update channel: `prefix{key}:updates`; messages are the store key. */
  channel: string;
}

/**
 * The layout of `key` under `prefix`. Whatever braces a prefix holds, the three names agree up to
 * and including the closing brace added here, so Redis derives the same slot for all three.
 */
export function keyLayout(prefix: string, key: string): KeyLayout {
  const state = `${prefix}{${key}}`;
  return { state, lock: `${state}:lock`, channel: `${state}:updates` };
}

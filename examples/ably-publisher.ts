/**
 * A backend publisher with token auth: the key signs TokenRequests locally, only short-lived tokens
 * travel with the messages, and an expired or revoked token is renewed and the publish retried
 * once, without any code here.
 *
 * Run it against the local demo server (the key below is the demo's public one):
 *
 *   npx tokensmith serve --port 8080     # terminal 1 (or: npm run serve)
 *   ABLY_KEY=demoApp.demoKey:demoKeySecret-public-do-not-use-in-production \
 *   ABLY_BASE_URL=http://127.0.0.1:8080 npx tsx examples/ably-publisher.ts
 *
 * Env: ABLY_KEY (required), ABLY_BASE_URL (default https://rest.ably.io), ABLY_CHANNEL (default
 * `orders`).
 */
import { TokensmithError } from '../src/index-node'; // in your app: from 'tokensmith' (Node picks this entry)
import { createAblyClient } from '../src/client/index-node'; // in your app: from 'tokensmith/client'

/** What one run did. */
export interface PublisherResult {
  /** Messages accepted by the publish calls. */
  published: number;
  /** Messages the history read returned (at most 100). */
  history: number;
  /** The clientId the token carries. */
  clientId: string | null;
}

/** Publishes three order events on the channel, then reads the channel's history back. */
export async function main(env: Record<string, string | undefined> = process.env, log = console.log): Promise<PublisherResult> {
  if (!env.ABLY_KEY) throw new Error('set ABLY_KEY (e.g. the local demo key, see the top of this file)');
  const channelId = env.ABLY_CHANNEL ?? 'orders';
  const ably = createAblyClient({
    key: env.ABLY_KEY,
    useTokenAuth: true,
    clientId: 'order-service',
    defaultTokenParams: { capability: { [channelId]: ['publish', 'history'] }, ttl: 15 * 60_000 },
    ...(env.ABLY_BASE_URL ? { baseUrl: env.ABLY_BASE_URL } : {}),
  });

  let published = 0;
  for (const [index, status] of ['created', 'paid', 'shipped'].entries()) {
    const { error } = await ably.POST('/channels/{channelId}/messages', {
      params: { path: { channelId } },
      body: { name: `order.${status}`, data: { orderId: 'ord_1001', step: index + 1 } },
    });
    if (error) throw new TokensmithError(error.error.code, `publish failed: ${error.error.message}`, { statusCode: error.error.statusCode });
    published += 1;
  }

  const { data, error } = await ably.GET('/channels/{channelId}/messages', {
    params: { path: { channelId }, query: { limit: 100, direction: 'forwards' } },
  });
  if (error) throw new TokensmithError(error.error.code, `history failed: ${error.error.message}`, { statusCode: error.error.statusCode });
  const history = data ?? [];
  log(`published ${published} messages on "${channelId}" as ${ably.auth.clientId}; history holds ${history.length}`);
  for (const message of history.slice(-3)) log(`  ${message.name} ${JSON.stringify(message.data)}`);
  return { published, history: history.length, clientId: ably.auth.clientId };
}

if (process.argv[1]?.endsWith('ably-publisher.ts')) {
  main().catch((error: unknown) => {
    const code = error instanceof TokensmithError ? ` (code ${error.code})` : '';
    console.error(`ably-publisher: ${error instanceof Error ? error.message : String(error)}${code}`);
    process.exitCode = 1;
  });
}

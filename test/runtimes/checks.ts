/**
 * The checks every runtime runs against the local auth server, written once with Web APIs only.
 * The library is passed in (each runtime imports the packed `tokensmith` and `tokensmith/client` its
 * own way, merged into one object), so this file is bundled without it and imports nothing at run time.
 */
import type * as TokensmithClient from '../../src/client/index';
import type * as Tokensmith from '../../src/index';

/** What a runtime's harness is told: where the servers are and what to expect. */
export interface CheckConfig {
  /** The local auth server (Ably routes at the root). */
  ablyUrl: string;
  /** The Metquay API of the same server, ending in `/api/v1`. */
  metquayUrl: string;
  /** The example token endpoint (`examples/ably-token-server.ts`). */
  authUrl: string;
  ablyKey: string;
  metquayAccessKey: string;
  metquaySecretKey: string;
  /** Channels used by this run are under `chat:<channelPrefix>`, so runtimes do not meet. */
  channelPrefix: string;
  /** Fixed TokenRequest inputs and the MAC node:crypto computed over them. */
  fixed: { params: FixedParams; mac: string };
}

export interface FixedParams {
  ttl: number;
  capability: Record<string, string[]>;
  clientId: string;
  timestamp: number;
  nonce: string;
}

/** Test controls, reached the way the runtime can (a browser cannot call `/_admin` itself). */
export interface Controls {
  expireAblyTokens(): Promise<void>;
  expireMetquayTokens(): Promise<void>;
}

export interface CheckResult {
  name: string;
  ok: boolean;
  ms: number;
  error?: string;
}

type Library = typeof Tokensmith & typeof TokensmithClient;

/** `METHOD /path status` of every request a client sent through it. */
function recordingFetch(): { fetch: typeof fetch; seen: string[] } {
  const seen: string[] = [];
  const recording = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const request = new Request(input, init);
    const response = await fetch(request);
    seen.push(`${request.method} ${new URL(request.url).pathname} ${response.status}`);
    return response;
  };
  return { fetch: recording as typeof fetch, seen };
}

function assert(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(message);
}

function same(actual: readonly string[], expected: readonly string[], what: string): void {
  assert(JSON.stringify(actual) === JSON.stringify(expected), `${what}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
}

/**
 * Records named checks in order: a failing check is kept with `describe(error)` and the rest
 * still run. Shared by the in-runtime checks and the Node-side example checks.
 */
export function checkRecorder(describe: (error: unknown) => string): {
  results: CheckResult[];
  check: (name: string, body: () => Promise<void>) => Promise<void>;
} {
  const results: CheckResult[] = [];
  const check = async (name: string, body: () => Promise<void>): Promise<void> => {
    const started = Date.now();
    try {
      await body();
      results.push({ name, ok: true, ms: Date.now() - started });
    } catch (error) {
      results.push({ name, ok: false, ms: Date.now() - started, error: describe(error) });
    }
  };
  return { results, check };
}

/** Runs every check in order; a failing check is reported and the rest still run. */
export async function runChecks(lib: Library, config: CheckConfig, controls: Controls): Promise<CheckResult[]> {
  const { results, check } = checkRecorder((error) => (error instanceof Error ? `${error.name}: ${error.message}` : String(error)));
  const channel = (suffix: string) => `chat:${config.channelPrefix}-${suffix}`;
  const ably = recordingFetch();
  const tokenClient = lib.createAblyClient({ key: config.ablyKey, useTokenAuth: true, baseUrl: config.ablyUrl, fetch: ably.fetch });

  await check('createTokenRequest MAC equals node:crypto', async () => {
    const auth = new lib.AblyAuth({ key: config.ablyKey });
    const request = await auth.createTokenRequest(config.fixed.params);
    assert(request.mac === config.fixed.mac, `mac ${request.mac} differs from node:crypto's ${config.fixed.mac}`);
    assert(request.nonce === config.fixed.params.nonce && request.timestamp === config.fixed.params.timestamp, 'fixed nonce/timestamp not kept');
  });

  await check('50 concurrent createTokenRequests each carry their own MAC', async () => {
    const auth = new lib.AblyAuth({ key: config.ablyKey });
    const requests = await Promise.all(Array.from({ length: 50 }, (_, i) => auth.createTokenRequest({ ...config.fixed.params, clientId: `client-${i}`, nonce: `concurrent-nonce-${String(i).padStart(4, '0')}` })));
    // Verified with the runtime's own Web Crypto, one fresh encoding per text.
    const [keyName, secret] = config.ablyKey.split(':') as [string, string];
    const bytes = (text: string) => new TextEncoder().encode(text);
    const key = await crypto.subtle.importKey('raw', bytes(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['verify']);
    for (const request of requests) {
      const text = `${keyName}\n${request.ttl ?? ''}\n${request.capability ?? ''}\n${request.clientId ?? ''}\n${request.timestamp}\n${request.nonce}\n`;
      const mac = Uint8Array.from(atob(request.mac), (c) => c.charCodeAt(0));
      assert(await crypto.subtle.verify('HMAC', key, mac, bytes(text)), `MAC of ${request.clientId} does not verify`);
    }
  });

  await check('AblyAuth with a key: token, publish, history', async () => {
    const published = await tokenClient.POST('/channels/{channelId}/messages', {
      params: { path: { channelId: channel('key') } },
      body: { name: 'greeting', data: 'hello from the key' },
    });
    assert(!published.error, `publish failed: ${JSON.stringify(published.error)}`);
    assert(tokenClient.auth.tokenDetails?.token, 'no token after the publish');
    const history = await tokenClient.GET('/channels/{channelId}/messages', { params: { path: { channelId: channel('key') } } });
    assert(history.data?.some((message) => message.data === 'hello from the key'), 'published message missing from history');
    same(ably.seen.map((line) => line.replace(/\/keys\/[^/]+\//, '/keys/{keyName}/')), [
      'POST /keys/{keyName}/requestToken 200',
      `POST /channels/${encodeURIComponent(channel('key'))}/messages 201`,
      `GET /channels/${encodeURIComponent(channel('key'))}/messages 200`,
    ], 'requests');
  });

  await check('expired Ably token: renewed once, call retried', async () => {
    ably.seen.length = 0;
    await controls.expireAblyTokens();
    const published = await tokenClient.POST('/channels/{channelId}/messages', { params: { path: { channelId: channel('key') } }, body: { data: 'after expiry' } });
    assert(!published.error, `publish after expiry failed: ${JSON.stringify(published.error)}`);
    const path = `/channels/${encodeURIComponent(channel('key'))}/messages`;
    same(ably.seen.map((line) => line.replace(/\/keys\/[^/]+\//, '/keys/{keyName}/')), [`POST ${path} 401`, 'POST /keys/{keyName}/requestToken 200', `POST ${path} 201`], 'requests');
  });

  await check('AblyAuth with authUrl (the example token endpoint)', async () => {
    const user = `${config.channelPrefix}-user`;
    const client = lib.createAblyClient({ authUrl: config.authUrl, authHeaders: { 'x-demo-user': user }, baseUrl: config.ablyUrl });
    const published = await client.POST('/channels/{channelId}/messages', { params: { path: { channelId: channel('url') } }, body: { data: 'via authUrl' } });
    assert(!published.error, `publish failed: ${JSON.stringify(published.error)}`);
    assert(client.auth.clientId === user, `clientId ${client.auth.clientId}, expected ${user}`);
    const history = await client.GET('/channels/{channelId}/messages', { params: { path: { channelId: channel('url') } } });
    assert(history.data?.[0]?.clientId === user, 'history does not carry the token clientId');
  });

  const metquay = recordingFetch();
  const mq = lib.createMetquayClient({ baseUrl: config.metquayUrl, accessKey: config.metquayAccessKey, secretKey: config.metquaySecretKey, fetch: metquay.fetch });

  await check('MetquayAuth: authenticate, list customers', async () => {
    const { data, error } = await mq.GET('/customers', { params: { query: { limit: 3 } } });
    assert(!error && data, `GET /customers failed: ${JSON.stringify(error)}`);
    assert(data.length === 3, `expected 3 customers, got ${data.length}`);
    same(metquay.seen, ['POST /api/v1/authenticate 200', 'GET /api/v1/customers 200'], 'requests');
  });

  await check('MetquayAuth without credentials: ConfigurationError 40106, whether or not the env is readable', async () => {
    let caught: unknown;
    try {
      lib.createMetquayClient({ baseUrl: config.metquayUrl });
    } catch (error) {
      caught = error;
    }
    assert(caught instanceof lib.ConfigurationError, `expected a ConfigurationError, got ${String(caught)}`);
    assert(caught.code === 40106 && caught.message.includes('accessKey'), `unexpected ${caught.code}: ${caught.message}`);
  });

  await check('expired Metquay token: renewed once, call retried', async () => {
    metquay.seen.length = 0;
    await controls.expireMetquayTokens();
    const { error } = await mq.GET('/customers', { params: { query: { limit: 1 } } });
    assert(!error, `GET /customers after expiry failed: ${JSON.stringify(error)}`);
    same(metquay.seen, ['GET /api/v1/customers 401', 'POST /api/v1/authenticate 200', 'GET /api/v1/customers 200'], 'requests');
  });

  return results;
}

/** Test controls over HTTP, for runtimes that may call `/_admin` directly (not browsers). */
export function httpControls(config: Pick<CheckConfig, 'ablyUrl' | 'metquayUrl'>): Controls {
  const post = async (url: string): Promise<void> => {
    const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    if (!response.ok) throw new Error(`${url} answered ${response.status}`);
    await response.arrayBuffer();
  };
  return {
    expireAblyTokens: () => post(`${config.ablyUrl}/_admin/tokens/expire`),
    expireMetquayTokens: () => post(`${config.metquayUrl}/_admin/metquay/tokens/expire`),
  };
}

/** The runtime this harness runs in, for the report (the library itself never asks). */
export function describeRuntime(): string {
  const g = globalThis as {
    Deno?: { version: { deno: string } };
    Bun?: { version: string };
    process?: { versions?: { node?: string } };
    navigator?: { userAgent?: string };
  };
  if (g.Deno) return `Deno ${g.Deno.version.deno}`;
  if (g.Bun) return `Bun ${g.Bun.version}`;
  if (g.process?.versions?.node) return `Node ${g.process.versions.node}`;
  return g.navigator?.userAgent ?? 'unknown';
}

/** Which signer the loaded entry binds (`node` or `web`). */
export function signerName(lib: Library): string {
  return (lib.AblyAuth as unknown as { signer?: { name?: string } }).signer?.name ?? 'unknown';
}

/** What a harness reports, as one JSON line (stdout, a Response body or a page's return value). */
export interface HarnessReport {
  runtime: string;
  signer: string;
  results: CheckResult[];
}

/** Runs the checks and describes where they ran. */
export async function runHarness(lib: Library, config: CheckConfig, controls: Controls): Promise<HarnessReport> {
  return { runtime: describeRuntime(), signer: signerName(lib), results: await runChecks(lib, config, controls) };
}

import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { startOAuth2TestApp, type OAuth2TestApp } from './oauth2-app';

/**
 * The two token servers the OAuth2 client runs against, behind one face: tokensmith's own
 * (in-process Fastify) and panva's oidc-provider 8.x (a child process on 127.0.0.1, since it is
 * ESM-only and jest's CommonJS runtime cannot load it). Each also serves the protected test API:
 * `GET /api/things` needs scope `read`, `POST /api/things` needs `write` and echoes its body.
 */
export interface TokenServer {
  name: string;
  /** Server root; the API is under `/api`. */
  url: string;
  /** The token endpoint as a spec would write it, relative to the server URL. */
  relativeTokenUrl: string;
  /** A confidential client allowed `read write`, authenticating with Basic. */
  basicClient: { clientId: string; clientSecret: string };
  /** The same, registered for `client_secret_post` (oidc-provider enforces the registered method). */
  postClient: { clientId: string; clientSecret: string };
  /** Token requests received so far. */
  tokenRequests(): Promise<number>;
  /** Discovery requests received so far. */
  discoveryRequests(): Promise<number>;
  /** Statuses the API answered, in order. */
  apiStatuses(): Promise<number[]>;
  /** Revokes an issued access token server-side. */
  revoke(token: string): Promise<void>;
  close(): Promise<void>;
}

export const BASIC_CLIENT = { clientId: 'reports-basic', clientSecret: 'reports-basic-secret-7f3a9c' };
export const POST_CLIENT = { clientId: 'reports-post', clientSecret: 'reports-post-secret-91bd2e' };
export const ALL_CLIENT_SECRETS = [BASIC_CLIENT.clientSecret, POST_CLIENT.clientSecret];

export async function startTokensmithServer(): Promise<TokenServer & { app: OAuth2TestApp }> {
  const scopes = ['read', 'write'];
  const app = await startOAuth2TestApp([
    { ...BASIC_CLIENT, scopes },
    { ...POST_CLIENT, scopes },
  ]);
  return {
    name: 'tokensmith-server',
    app,
    url: app.url,
    relativeTokenUrl: '/oauth2/token',
    basicClient: BASIC_CLIENT,
    postClient: POST_CLIENT,
    tokenRequests: async () => app.tokenRequests.length,
    discoveryRequests: async () => app.discoveryRequests(),
    apiStatuses: async () => [...app.api.statuses],
    revoke: async (token) => {
      app.authority.revoke(token);
    },
    close: () => app.close(),
  };
}

const FIXTURE = join(__dirname, 'fixtures', 'oidc-provider-server.mjs');

export async function startOidcProvider(): Promise<TokenServer> {
  const client = (id: { clientId: string; clientSecret: string }, method: string) => ({
    client_id: id.clientId,
    client_secret: id.clientSecret,
    grant_types: ['client_credentials'],
    response_types: [],
    redirect_uris: [],
    scope: 'read write',
    token_endpoint_auth_method: method,
  });
  const clients = [client(BASIC_CLIENT, 'client_secret_basic'), client(POST_CLIENT, 'client_secret_post')];
  const child: ChildProcess = spawn(process.execPath, [FIXTURE], {
    env: { ...process.env, OIDC_CLIENTS: JSON.stringify(clients), NODE_ENV: 'test' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk) => void (stderr += String(chunk)));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`oidc-provider did not start: ${stderr.slice(0, 500)}`)), 30_000);
    child.once('exit', (code) => reject(new Error(`oidc-provider exited ${code}: ${stderr.slice(0, 500)}`)));
    createInterface({ input: child.stdout! }).once('line', (line) => {
      clearTimeout(timer);
      resolve((JSON.parse(line) as { url: string }).url);
    });
  });
  const stats = async () => (await (await fetch(`${url}/_test/stats`)).json()) as { tokenRequests: number; discoveryRequests: number; apiStatuses: number[] };
  return {
    name: 'oidc-provider 8',
    url,
    relativeTokenUrl: '/token',
    basicClient: BASIC_CLIENT,
    postClient: POST_CLIENT,
    tokenRequests: async () => (await stats()).tokenRequests,
    discoveryRequests: async () => (await stats()).discoveryRequests,
    apiStatuses: async () => (await stats()).apiStatuses,
    revoke: async (token) => {
      await fetch(`${url}/_test/revoke?token=${encodeURIComponent(token)}`, { method: 'POST' });
    },
    close: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

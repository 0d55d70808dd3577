import Fastify, { type FastifyInstance } from 'fastify';
import { bearerChallenge, OAuth2Authority, oauth2AdminRoutes, oauth2Routes, type OAuth2ClientConfig } from '../../tokensmith-server/src/server/oauth2';

// A bare Fastify app with tokensmith's OAuth2 routes, their test controls and a small protected
// API (a resource server checking the bearer token with the authority), over real HTTP on 127.0.0.1.

export const SERVICE = { clientId: 'svc-reports', clientSecret: 'svc-secret:with+odd/chars=%', scopes: ['read', 'write', 'admin'] };
export const ROTATING = { clientId: 'user-app', clientSecret: 'user-app-secret-0123', scopes: ['read', 'write'], issueRefreshTokens: true };
export const OAUTH2_SECRETS = [SERVICE.clientSecret, ROTATING.clientSecret];

/** A settable server clock. */
export class TestClock {
  constructor(public ms = Date.UTC(2025, 5, 1, 12, 0, 0)) {}
  now(): number {
    return this.ms;
  }
}

export interface OAuth2TestApp {
  url: string;
  app: FastifyInstance;
  authority: OAuth2Authority;
  clock: TestClock;
  /** Answers of the protected API by status, and the bodies it received. */
  api: { statuses: number[]; bodies: string[] };
  /** Token-endpoint requests received. */
  tokenRequests: Array<{ authorization?: string; body: string }>;
  /** Discovery-document requests received. */
  discoveryRequests: () => number;
  close(): Promise<void>;
}

/**
 * Starts the app. The protected API: `GET /api/things` needs scope `read`, `POST /api/things`
 * needs `write` and echoes its JSON body; refusals follow RFC 6750 §3.
 */
export async function startOAuth2TestApp(clients: OAuth2ClientConfig[] = [SERVICE, ROTATING], clock = new TestClock()): Promise<OAuth2TestApp> {
  const authority = new OAuth2Authority({ clients }, { clock });
  // Idle keep-alive sockets stay open longer than the client's, so a burst never races a server-side close.
  const app = Fastify({ logger: false, keepAliveTimeout: 60_000 });
  const api = { statuses: [] as number[], bodies: [] as string[] };
  const tokenRequests: OAuth2TestApp['tokenRequests'] = [];
  let discoveryRequests = 0;
  app.addHook('onRequest', async (request) => {
    if (request.url.startsWith('/.well-known/')) discoveryRequests += 1;
  });
  app.addHook('preHandler', async (request) => {
    if (request.url.startsWith('/oauth2/token') && request.method === 'POST') {
      tokenRequests.push({ authorization: request.headers.authorization, body: String(request.body) });
    }
  });
  await app.register(oauth2Routes, { authority });
  await app.register(oauth2AdminRoutes, { prefix: '/_admin/oauth2', authority });
  const protect = (scope: string) => async (request: any, reply: any) => {
    const match = /^Bearer ([^\s]+)$/.exec(request.headers.authorization ?? '');
    if (!match) return reply.code(401).header('www-authenticate', bearerChallenge()).send({ error: 'unauthorized' });
    const check = await authority.verify(match[1] as string);
    if (!check.ok) {
      return reply.code(401).header('www-authenticate', bearerChallenge({ error: 'invalid_token', description: `token ${check.reason}` })).send({ error: 'invalid_token' });
    }
    if (!check.scopes.includes(scope)) {
      return reply.code(403).header('www-authenticate', bearerChallenge({ error: 'insufficient_scope', scope: [scope] })).send({ error: 'insufficient_scope' });
    }
    return undefined;
  };
  app.addHook('onResponse', async (request, reply) => {
    if (request.url.startsWith('/api/')) api.statuses.push(reply.statusCode);
  });
  app.get('/api/things', { preHandler: protect('read') }, async () => ({ things: [1, 2, 3] }));
  app.post('/api/things', { preHandler: protect('write') }, async (request) => {
    api.bodies.push(JSON.stringify(request.body));
    return { created: request.body };
  });
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  authority.setIssuer(url);
  return { url, app, authority, clock, api, tokenRequests, discoveryRequests: () => discoveryRequests, close: () => app.close() };
}

/** `Basic base64(urlencode(id):urlencode(secret))`, per RFC 6749 §2.3.1. */
export function clientBasic(clientId: string, clientSecret: string): string {
  const encode = (value: string) => encodeURIComponent(value).replace(/%20/g, '+');
  return `Basic ${Buffer.from(`${encode(clientId)}:${encode(clientSecret)}`).toString('base64')}`;
}

/** POSTs a form to the token endpoint. */
export async function tokenRequest(url: string, form: Record<string, string>, headers: Record<string, string> = {}): Promise<{ status: number; headers: Headers; body: any }> {
  const response = await fetch(`${url}/oauth2/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(form).toString(),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : undefined };
}

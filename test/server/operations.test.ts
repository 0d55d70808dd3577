import Fastify, { type FastifyInstance } from 'fastify';
import type { AuthRules, SecurityRequirements } from '../../tokensmith-server/src/server/operations/security';
import { serveOperations } from '../../tokensmith-server/src/server/operations/serve';
import type { OperationRecord } from '../../tokensmith-server/src/server/operations/source';

// The machinery every provider's routes go through (Ably, Metquay, serve --spec): a source's
// operations routed with their schema and handler, and their `security` compiled against the
// provider's rules into each route's hook: OR of alternatives, AND within one, `[]` open, `{}` optional.

interface Refusal {
  rank: number;
  message: string;
}

// Two header schemes: `x-a: yes` meets "a", `x-b: yes` meets "b"; a wrong value is worse than none.
function headerScheme(header: string): (scopes: readonly string[]) => (request: { headers: Record<string, unknown> }) => Refusal | undefined {
  return () => (request) => {
    const value = request.headers[header];
    if (value === undefined) return { rank: 1, message: `no ${header}` };
    return value === 'yes' ? undefined : { rank: 2, message: `bad ${header}` };
  };
}

function rules(phase: 'onRequest' | 'preHandler' = 'onRequest'): AuthRules<Refusal> {
  return {
    phase,
    schemes: { a: headerScheme('x-a'), b: headerScheme('x-b') },
    challengeOf: (name) => `Scheme-${name}`,
    rank: (refusal) => refusal.rank,
    refuse: (refusal, reply, challenges) => reply.code(401).header('www-authenticate', challenges.join(', ')).send({ refused: refusal.message }),
  };
}

function operation(key: string, security: SecurityRequirements, schema?: OperationRecord['schema']): OperationRecord {
  const [method, path] = key.split(' ') as [string, string];
  return { key, name: key, method, route: path, security, ...(schema ? { schema } : {}) };
}

const BODY_SCHEMA = { body: { type: 'object', required: ['n'], properties: { n: { type: 'integer' } } } };

const OPERATIONS = [
  operation('GET /open', []),
  operation('GET /optional', [{ a: [] }, {}]),
  operation('GET /either', [{ a: [] }, { b: [] }]),
  operation('GET /both', [{ a: [], b: [] }]),
  operation('POST /checked-first', [{ a: [] }], BODY_SCHEMA),
];

async function serve(phase?: 'onRequest' | 'preHandler'): Promise<{ app: FastifyInstance; url: string }> {
  const app = Fastify();
  serveOperations(app, {
    source: { name: 'test spec', operations: OPERATIONS },
    rules: rules(phase),
    handlerFor: (op) => async (_request, reply) => reply.send({ ok: op.key }),
  });
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  return { app, url };
}

async function call(url: string, path: string, headers: Record<string, string> = {}, body?: unknown): Promise<{ status: number; body: any; challenge: string | null }> {
  const response = await fetch(`${url}${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { ...headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: response.status, body: await response.json(), challenge: response.headers.get('www-authenticate') };
}

describe('serveOperations with auth rules', () => {
  let server: { app: FastifyInstance; url: string };
  beforeAll(async () => {
    server = await serve();
  });
  afterAll(async () => {
    await server.app.close();
  });

  test('[] is open; a {} alternative makes auth optional', async () => {
    expect(await call(server.url, '/open')).toMatchObject({ status: 200, body: { ok: 'GET /open' } });
    expect(await call(server.url, '/optional')).toMatchObject({ status: 200 });
    expect(await call(server.url, '/optional', { 'x-a': 'wrong' })).toMatchObject({ status: 200 });
  });

  test('alternatives are OR: either scheme admits; with neither, the worst refusal is answered with every challenge', async () => {
    expect((await call(server.url, '/either', { 'x-a': 'yes' })).status).toBe(200);
    expect((await call(server.url, '/either', { 'x-b': 'yes' })).status).toBe(200);
    expect(await call(server.url, '/either')).toEqual({ status: 401, body: { refused: 'no x-a' }, challenge: 'Scheme-a, Scheme-b' });
    expect(await call(server.url, '/either', { 'x-b': 'wrong' })).toMatchObject({ status: 401, body: { refused: 'bad x-b' } });
  });

  test('schemes within one requirement are AND: both are needed', async () => {
    expect((await call(server.url, '/both', { 'x-a': 'yes', 'x-b': 'yes' })).status).toBe(200);
    expect(await call(server.url, '/both', { 'x-a': 'yes' })).toMatchObject({ status: 401, body: { refused: 'no x-b' } });
    expect(await call(server.url, '/both', { 'x-a': 'wrong' })).toMatchObject({ status: 401, body: { refused: 'bad x-a' } });
  });

  test('onRequest rules refuse before the schema is checked', async () => {
    expect((await call(server.url, '/checked-first', {}, { n: 'not a number' })).status).toBe(401);
    expect((await call(server.url, '/checked-first', { 'x-a': 'yes' }, { n: 'not a number' })).status).toBe(400);
    expect((await call(server.url, '/checked-first', { 'x-a': 'yes' }, { n: 1 })).status).toBe(200);
  });
});

test('preHandler rules run after the schema: a bad request is 400 whatever its credentials', async () => {
  const server = await serve('preHandler');
  try {
    expect((await call(server.url, '/checked-first', {}, { n: 'not a number' })).status).toBe(400);
    expect((await call(server.url, '/checked-first', {}, { n: 1 })).status).toBe(401);
  } finally {
    await server.app.close();
  }
});

test('a source the plugin cannot serve is refused at registration, naming the operation', () => {
  const app = Fastify();
  const handlerFor = (): (() => Promise<string>) => async () => 'ok';
  expect(() => serveOperations(app, { source: { name: 'spec.yaml', operations: [operation('GET /x', [])] }, handlerFor: () => undefined })).toThrow('spec.yaml: GET /x has no handler');
  expect(() => serveOperations(app, { source: { name: 'spec.yaml', operations: [operation('GET /y', [{ c: [] }])] }, rules: rules(), handlerFor })).toThrow(
    'spec.yaml: GET /y requires security scheme "c", which this server has no rules for',
  );
  expect(() => serveOperations(app, { source: { name: 'spec.yaml', operations: [operation('GET /z', [{ a: [] }])] }, handlerFor })).toThrow(
    'spec.yaml: GET /z needs credentials and its plugin has no auth rules',
  );
});

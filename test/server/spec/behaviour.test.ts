import { mkdtempSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSpecServer, type SpecServer } from '../../../tokensmith-server/src/server/spec/start';
import { METQUAY_LIKE, TOKENS, specTestConfig } from './helpers';

const open: SpecServer[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((server) => server.close()));
});

async function start(options: Partial<Parameters<typeof startSpecServer>[0]> = {}, specs = [METQUAY_LIKE]): Promise<SpecServer> {
  const server = await startSpecServer({ specs, config: await specTestConfig(specs, Date.now()), admin: true, ...options });
  open.push(server);
  return server;
}

const auth = { authorization: `Bearer ${TOKENS.all}` };
async function call(server: SpecServer, method: string, path: string, options: { json?: unknown; headers?: Record<string, string> } = {}) {
  const response = await fetch(`${server.url}${path}`, {
    method,
    headers: { ...auth, ...(options.json === undefined ? {} : { 'content-type': 'application/json' }), ...options.headers },
    ...(options.json === undefined ? {} : { body: JSON.stringify(options.json) }),
  });
  const text = await response.text();
  let body: any = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON
  }
  return { status: response.status, headers: response.headers, body };
}

function specFile(text: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'tokensmith-spec-')), 'spec.yaml');
  writeFileSync(file, text);
  return file;
}

describe('validation against the spec: 400 naming the field', () => {
  test.each([
    ['a query value of the wrong type', 'GET', '/api/v1/customers?limit=many', undefined, 'query.limit'],
    ['a query value over its maximum', 'GET', '/api/v1/customers?limit=501', undefined, 'query.limit'],
    ['a path parameter of the wrong type', 'GET', '/api/v1/customers/abc', undefined, 'path.customerId'],
    ['a UUID path parameter that is not one', 'GET', '/api/v1/calibrations/not-a-uuid', undefined, 'path.calibrationId'],
    ['a body missing a required property', 'POST', '/api/v1/customers', { email: 'a@example.com' }, 'body.name'],
    ['a body property of the wrong type', 'POST', '/api/v1/customers', { name: 7 }, 'body.name'],
    ['a nested enum value', 'POST', '/api/v1/calibrations', { instrumentId: 1, status: 'lost' }, 'body.status'],
  ])('%s', async (_name, method, path, json, field) => {
    const server = await start();
    const answer = await call(server, method, path, { json });
    expect(answer.status).toBe(400);
    expect(answer.body.field).toBe(field);
    expect(answer.body.message).toContain(field.split('.').pop());
  });

  test('auth is judged before validation: a bad request without a token is 401', async () => {
    const server = await start();
    expect((await call(server, 'GET', '/api/v1/customers?limit=many', { headers: { authorization: '' } })).status).toBe(401);
  });
});

describe('answers: examples, seeded data, Prefer', () => {
  test('the same seed gives the same data; another seed other data', async () => {
    const [a, b, c] = [await start({ seed: 5 }), await start({ seed: 5 }), await start({ seed: 6 })];
    const [x, y, z] = await Promise.all([a, b, c].map((server) => call(server, 'GET', '/api/v1/calibrations')));
    expect(x!.body).toEqual(y!.body);
    expect(x!.body).not.toEqual(z!.body);
    expect(x!.body[0].status).toBe('scheduled');
    expect(x!.body[0].id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4/);
  });

  test('Prefer: code=404 answers the spec\'s 404 example; an undeclared code is 400 naming the header', async () => {
    const server = await start();
    const notFound = await call(server, 'GET', '/api/v1/customers/1', { headers: { prefer: 'code=404' } });
    expect(notFound).toMatchObject({ status: 404, body: { code: 404, message: 'not found' } });
    const undeclared = await call(server, 'GET', '/api/v1/customers/1', { headers: { prefer: 'code=418' } });
    expect(undeclared.status).toBe(400);
    expect(undeclared.body).toMatchObject({ field: 'header.prefer', message: expect.stringContaining('getCustomer') });
  });

  test('named examples and Prefer: example=', async () => {
    const file = specFile(`openapi: 3.0.3
info: { title: t, version: '1' }
paths:
  /pets:
    get:
      responses:
        '200':
          description: ok
          content:
            application/json:
              examples:
                cat: { value: { name: Tom } }
                dog: { value: { name: Rex } }
`);
    const server = await start({}, [file]);
    expect((await call(server, 'GET', '/pets')).body).toEqual({ name: 'Tom' });
    expect((await call(server, 'GET', '/pets', { headers: { prefer: 'example=dog' } })).body).toEqual({ name: 'Rex' });
  });

  test('an operation it cannot make data for answers 501 naming it, and the server keeps running', async () => {
    const file = specFile(`openapi: 3.0.3
info: { title: t, version: '1' }
paths:
  /codes:
    get:
      operationId: getCode
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: { type: string, pattern: '^[A-Z]{3}-\\\\d{4}$' }
  /ok:
    get:
      responses:
        '200': { description: ok, content: { application/json: { schema: { type: integer } } } }
`);
    const server = await start({}, [file]);
    const refused = await call(server, 'GET', '/codes');
    expect(refused.status).toBe(501);
    expect(refused.body.message).toMatch(/getCode.*pattern/);
    expect((await call(server, 'GET', '/ok')).status).toBe(200);
  });
});

describe('no configured secret comes back', () => {
  test('a token sent as an id, a Prefer example, a query value or a path is not echoed in any answer', async () => {
    const server = await start({ stateful: true });
    const secret = TOKENS.all;
    const answers = [
      await call(server, 'GET', `/api/v1/customers/${secret}`),
      await call(server, 'GET', '/api/v1/customers/999'),
      await call(server, 'GET', '/api/v1/customers', { headers: { prefer: `example=${secret}` } }),
      await call(server, 'GET', '/api/v1/customers', { headers: { prefer: `code=${secret}` } }),
      await call(server, 'GET', `/api/v1/customers?limit=${secret}`),
      await call(server, 'GET', `/api/v1/${secret}`),
      await call(server, 'POST', '/api/v1/customers', { json: { name: 7, [secret]: secret } }),
    ];
    expect(answers.map((answer) => answer.status)).toEqual([400, 404, 400, 400, 400, 404, 400]);
    for (const answer of answers) expect(JSON.stringify(answer.body)).not.toContain(secret);
  });
});

describe('--stateful', () => {
  test('POST creates, GET reads and lists it, PUT replaces, DELETE removes; paging with first/limit', async () => {
    const server = await start({ stateful: true });
    const ids: number[] = [];
    for (let i = 0; i < 5; i++) {
      const created = await call(server, 'POST', '/api/v1/customers', { json: { name: `customer ${i}` } });
      expect(created.status).toBe(201);
      expect(created.body.name).toBe(`customer ${i}`);
      ids.push(created.body.id);
    }
    expect(new Set(ids).size).toBe(5);
    expect((await call(server, 'GET', `/api/v1/customers/${ids[2]}`)).body).toMatchObject({ id: ids[2], name: 'customer 2' });
    const page = await call(server, 'GET', '/api/v1/customers?first=1&limit=2');
    expect(page.body.items.map((c: { name: string }) => c.name)).toEqual(['customer 1', 'customer 2']);
    expect(page.body.total).toBe(5);
    expect((await call(server, 'PUT', `/api/v1/customers/${ids[0]}`, { json: { name: 'renamed' } })).body).toMatchObject({ id: ids[0], name: 'renamed' });
    expect((await call(server, 'GET', `/api/v1/customers/${ids[0]}`)).body.name).toBe('renamed');
    expect((await call(server, 'DELETE', `/api/v1/customers/${ids[0]}`)).status).toBe(204);
    expect((await call(server, 'GET', `/api/v1/customers/${ids[0]}`)).status).toBe(404);
    expect((await call(server, 'DELETE', `/api/v1/customers/${ids[0]}`)).status).toBe(404);
    expect((await call(server, 'GET', '/api/v1/customers')).body.items).toHaveLength(4);
  });

  test('nested collections are kept apart per parent; odd parameter names and literal colons route', async () => {
    const file = specFile(`openapi: 3.1.0
info: { title: t, version: '1' }
servers: [{ url: 'https://api.example.com/{version}', variables: { version: { default: v2 } } }]
components:
  schemas:
    Note: { type: object, properties: { id: { type: integer }, text: { type: string } } }
paths:
  /boards/{board-id}/notes:
    parameters: [{ name: board-id, in: path, required: true, schema: { type: string } }]
    get:
      responses: { '200': { description: ok, content: { application/json: { schema: { type: array, items: { $ref: '#/components/schemas/Note' } } } } } }
    post:
      requestBody: { content: { application/json: { schema: { $ref: '#/components/schemas/Note' } } } }
      responses: { '201': { description: ok, content: { application/json: { schema: { $ref: '#/components/schemas/Note' } } } } }
  /boards/{board-id}/notes/{id}:
    parameters: [{ name: board-id, in: path, required: true, schema: { type: string } }, { name: id, in: path, required: true, schema: { type: integer } }]
    get:
      responses: { '200': { description: ok, content: { application/json: { schema: { $ref: '#/components/schemas/Note' } } } } }
  /notes:batchDelete:
    post:
      responses: { '204': { description: ok } }
`);
    const server = await start({ stateful: true }, [file]);
    const created = await call(server, 'POST', '/v2/boards/red/notes', { json: { text: 'on red' } });
    expect(created.status).toBe(201);
    expect((await call(server, 'GET', '/v2/boards/red/notes')).body).toEqual([created.body]);
    expect((await call(server, 'GET', '/v2/boards/blue/notes')).body).toEqual([]);
    expect((await call(server, 'GET', `/v2/boards/red/notes/${created.body.id}`)).body.text).toBe('on red');
    expect((await call(server, 'GET', `/v2/boards/blue/notes/${created.body.id}`)).status).toBe(404);
    expect((await call(server, 'GET', '/v2/boards/red/notes/x')).body.field).toBe('path.id');
    expect((await call(server, 'POST', '/v2/notes:batchDelete')).status).toBe(204);
  });

  test('memory is bounded in bytes: past limits.maxStateBytes the oldest resources go', async () => {
    const specs = [METQUAY_LIKE];
    const server = await startSpecServer({ specs, config: { ...(await specTestConfig(specs, Date.now())), limits: { maxStateBytes: 20_000 } }, admin: true, stateful: true });
    open.push(server);
    for (let i = 0; i < 100; i++) await call(server, 'POST', '/api/v1/customers', { json: { name: `c${i}`.padEnd(100, 'x') } });
    const stats = (await call(server, 'GET', '/_admin/stats')).body;
    expect(stats.stateBytes).toBeLessThanOrEqual(20_000);
    expect(stats.resources).toBeLessThan(100);
    const names = (await call(server, 'GET', '/api/v1/customers?limit=500')).body.items.map((c: { name: string }) => c.name);
    expect(names.at(-1)).toMatch(/^c99x/);
    expect(names[0]).not.toMatch(/^c0x/);
  });

  test('a resource alone over limits.maxStateBytes is 413, and the one it would replace is kept', async () => {
    const specs = [METQUAY_LIKE];
    const server = await startSpecServer({ specs, config: { ...(await specTestConfig(specs, Date.now())), limits: { maxStateBytes: 20_000 } }, admin: true, stateful: true });
    open.push(server);
    const created = (await call(server, 'POST', '/api/v1/customers', { json: { name: 'kept' } })).body as { id: number };
    const tooLarge = await call(server, 'PUT', `/api/v1/customers/${created.id}`, { json: { name: 'replaced', phone: 'x'.repeat(30_000) } });
    expect([tooLarge.status, tooLarge.body.code]).toEqual([413, 413]);
    expect((await call(server, 'GET', `/api/v1/customers/${created.id}`)).body.name).toBe('kept');
    expect((await call(server, 'GET', '/_admin/stats')).body.resources).toBe(1);
  });

  test('pending faults keep to 100 and 1 MiB on the spec server too', async () => {
    const server = await start();
    for (let i = 0; i < 120; i++) {
      const fault = { operation: `${i}`.padEnd(2_048, 'o'), path: `/${i}`.padEnd(2_048, 'p'), message: 'm'.repeat(500), status: 503 };
      expect((await call(server, 'POST', '/_admin/faults', { json: fault })).status).toBe(201);
    }
    const stats = (await call(server, 'GET', '/_admin/stats')).body;
    expect(stats.pendingFaults).toBe(100);
    expect(stats.pendingFaultBytes).toBeGreaterThan(512 * 1024);
    expect(stats.pendingFaultBytes).toBeLessThanOrEqual(1024 * 1024);
  });
});

describe('test controls', () => {
  test('a 429 with Retry-After, a 503, and a slow answer, injected per operation', async () => {
    const server = await start();
    const admin = (body: unknown) => call(server, 'POST', '/_admin/faults', { json: body });
    expect((await admin({ operation: 'listCustomers', status: 429, retryAfterSeconds: 7 })).status).toBe(201);
    expect((await admin({ operation: 'GET /customers/{customerId}', status: 503 })).status).toBe(201);
    const limited = await call(server, 'GET', '/api/v1/customers');
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('7');
    expect((await call(server, 'GET', '/api/v1/customers')).status).toBe(200);
    expect((await call(server, 'GET', '/api/v1/calibrations')).status).toBe(200);
    expect((await call(server, 'GET', '/api/v1/customers/3')).status).toBe(503);
    await admin({ operation: 'listCalibrations', delayMs: 300 });
    const started = Date.now();
    expect((await call(server, 'GET', '/api/v1/calibrations')).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
  });

  test('expire a token, then the clock: a token with expiresAt expires when the server clock passes it', async () => {
    const specs = [METQUAY_LIKE];
    const now = Date.now();
    const server = await startSpecServer({ specs, admin: true, config: { tokens: [{ token: 'soon-0123456789', scopes: ['customers:read'], expiresAt: now + 60_000 }, { token: 'other-0123456789', scopes: ['customers:read'] }] } });
    open.push(server);
    const list = (token: string) => call(server, 'GET', '/api/v1/customers', { headers: { authorization: `Bearer ${token}` } });
    expect((await list('soon-0123456789')).status).toBe(200);
    await call(server, 'POST', '/_admin/clock', { json: { advanceMs: 61_000 } });
    expect((await list('soon-0123456789')).headers.get('www-authenticate')).toContain('the token is expired');
    expect((await list('other-0123456789')).status).toBe(200);
    expect((await call(server, 'POST', '/_admin/tokens/expire', { json: { token: 'other-0123456789' } })).body).toEqual({ affected: 1 });
    expect((await list('other-0123456789')).status).toBe(401);
  });
});

describe('specs it cannot serve are refused with one line', () => {
  test.each([
    ['no such file', '/nonexistent/spec.yaml', /cannot read the spec/],
    ['Swagger 2', 'swagger: "2.0"\ninfo: { title: t, version: "1" }\npaths: {}\n', /Swagger 2\.0/],
    ['no operations', 'openapi: 3.0.3\ninfo: { title: t, version: "1" }\npaths: {}\n', /declares no operations/],
    ['a pattern no regular expression engine reads', 'openapi: 3.0.3\ninfo: { title: t, version: "1" }\npaths:\n  /a:\n    get:\n      parameters: [{ name: q, in: query, schema: { type: string, pattern: "[" } }]\n      responses: { "200": { description: ok } }\n', /cannot serve the spec: .*GET: \/a.*regular expression/],
    ['an undeclared scheme', 'openapi: 3.0.3\ninfo: { title: t, version: "1" }\npaths:\n  /a:\n    get:\n      security: [{ nope: [] }]\n      responses: { "200": { description: ok } }\n', /"nope", which components.securitySchemes does not declare/],
  ])('%s', async (_name, content, message) => {
    const file = content.startsWith('/') ? content : specFile(content);
    const refusal = startSpecServer({ specs: [file] });
    await expect(refusal).rejects.toMatchObject({ code: 40003, message: expect.stringMatching(message) });
    await refusal.catch((error: Error) => expect(error.message).not.toContain('\n'));
  });
});

describe('tokens from the OAuth2 token endpoint', () => {
  const client = { clientId: 'svc', clientSecret: 'svc-secret-0123456789abcdef', scopes: ['customers:read', 'customers:write'] };
  async function token(server: SpecServer, scope: string): Promise<string> {
    const response = await fetch(`${server.url}/api/v1/oauth2/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${Buffer.from(`${client.clientId}:${client.clientSecret}`).toString('base64')}` },
      body: new URLSearchParams({ grant_type: 'client_credentials', scope }).toString(),
    });
    expect(response.status).toBe(200);
    return ((await response.json()) as { access_token: string }).access_token;
  }

  test('client credentials at the spec\'s tokenUrl: the token passes with its scopes, 403 without, 401 once revoked or expired', async () => {
    const server = await startSpecServer({ specs: [METQUAY_LIKE], admin: true, config: { oauth2: { clients: [client] } } });
    open.push(server);
    const readOnly = await token(server, 'customers:read');
    const as = (t: string) => ({ headers: { authorization: `Bearer ${t}` } });
    expect((await call(server, 'GET', '/api/v1/customers', as(readOnly))).status).toBe(200);
    const refused = await call(server, 'POST', '/api/v1/customers', { ...as(readOnly), json: { name: 'x' } });
    expect(refused.status).toBe(403);
    expect(refused.headers.get('www-authenticate')).toBe('Bearer error="insufficient_scope", scope="customers:write"');
    const writer = await token(server, 'customers:write');
    expect((await call(server, 'POST', '/api/v1/customers', { ...as(writer), json: { name: 'x' } })).status).toBe(201);
    await call(server, 'POST', '/_admin/tokens/revoke', { json: { token: writer } });
    expect((await call(server, 'POST', '/api/v1/customers', { ...as(writer), json: { name: 'x' } })).headers.get('www-authenticate')).toContain('the token is revoked');
    await call(server, 'POST', '/_admin/clock', { json: { advanceMs: 24 * 3_600_000 } });
    expect((await call(server, 'GET', '/api/v1/customers', as(readOnly))).headers.get('www-authenticate')).toContain('the token is expired');
  });

  test('a token answered from the verified-token cache: expire, revoke by client and the clock still refuse it; the cache keeps to its byte bound', async () => {
    const maxVerifiedCacheBytes = 8192;
    const server = await startSpecServer({ specs: [METQUAY_LIKE], admin: true, config: { oauth2: { clients: [client], maxVerifiedCacheBytes } } });
    open.push(server);
    const as = (t: string) => ({ headers: { authorization: `Bearer ${t}` } });
    const stats = async () => (await call(server, 'GET', '/_admin/oauth2/stats')).body as { verifiedCacheTokens: number; verifiedCacheBytes: number };
    const tokens: string[] = [];
    for (let i = 0; i < 60; i++) {
      tokens.push(await token(server, 'customers:read'));
      expect((await call(server, 'GET', '/api/v1/customers/1', as(tokens[i] as string))).status).toBe(200);
    }
    const held = await stats();
    expect(held.verifiedCacheBytes).toBeLessThanOrEqual(maxVerifiedCacheBytes);
    expect(held.verifiedCacheTokens).toBeGreaterThan(0);
    expect(held.verifiedCacheTokens).toBeLessThan(60);
    // The oldest was forgotten and passes a full check again; the newest is answered from the cache.
    expect((await call(server, 'GET', '/api/v1/customers/1', as(tokens[0] as string))).status).toBe(200);
    const [expired, revoked, skewed] = tokens.slice(-3) as [string, string, string];
    for (const each of [expired, revoked, skewed]) expect((await call(server, 'GET', '/api/v1/customers/1', as(each))).status).toBe(200);
    await call(server, 'POST', '/_admin/tokens/expire', { json: { token: expired } });
    const afterExpire = await call(server, 'GET', '/api/v1/customers/1', as(expired));
    expect(afterExpire.status).toBe(401);
    expect(afterExpire.headers.get('www-authenticate')).toMatch(/^Bearer error="invalid_token".*the token is expired/);
    await call(server, 'POST', '/_admin/oauth2/tokens/revoke', { json: { clientId: client.clientId } });
    const afterRevoke = await call(server, 'GET', '/api/v1/customers/1', as(revoked));
    expect(afterRevoke.status).toBe(401);
    expect(afterRevoke.headers.get('www-authenticate')).toContain('the token is revoked');
    await call(server, 'POST', '/_admin/oauth2/reset');
    const fresh = await token(server, 'customers:read');
    expect((await call(server, 'GET', '/api/v1/customers/1', as(fresh))).status).toBe(200);
    await call(server, 'POST', '/_admin/clock', { json: { advanceMs: 3_600_000 } });
    const afterSkew = await call(server, 'GET', '/api/v1/customers/1', as(fresh));
    expect(afterSkew.status).toBe(401);
    expect(afterSkew.headers.get('www-authenticate')).toContain('the token is expired');
    expect((await call(server, 'GET', '/api/v1/customers/1', as(skewed))).status).toBe(401);
  });
});

describe('what Node refuses before routing answers in the spec server\'s envelope', () => {
  function raw(server: SpecServer, text: string): Promise<string> {
    return new Promise((resolve) => {
      const socket = connect(server.port, '127.0.0.1');
      let answer = '';
      socket.on('data', (chunk) => (answer += chunk.toString('latin1')));
      socket.on('close', () => resolve(answer));
      socket.on('error', () => undefined);
      socket.on('connect', () => socket.write(text));
      setTimeout(() => socket.destroy(), 5_000).unref();
    });
  }
  test.each([
    ['a malformed header', 'GET /api/v1/customers HTTP/1.1\r\nHost: x\r\nBad Header: 1\r\n\r\n', 400],
    ['no Host on HTTP/1.1', 'GET /api/v1/customers HTTP/1.1\r\n\r\n', 400],
    ['headers over 16 KiB', `GET /api/v1/customers HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(17 * 1024)}\r\n\r\n`, 431],
    ['bad percent-encoding', 'GET /api/v1/customers/%zz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n', 400],
  ])('%s: %d with { code, message }, never the Ably envelope', async (_name, request, status) => {
    const server = await start();
    const answer = await raw(server, request);
    expect(answer.startsWith(`HTTP/1.1 ${status} `)).toBe(true);
    const body = JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4)) as { code: number; message: string; error?: unknown };
    expect(body).toEqual({ code: status, message: expect.any(String) });
  });
});

import { startSpecServer, type SpecServer } from '../../../tokensmith-server/src/server/spec/start';
import type { ServedOperation } from '../../../tokensmith-server/src/server/spec/operations';
import { ABLY_LIKE, ANY_SCHEME, API_KEY, METQUAY_LIKE, SECRETS, TOKENS, credentialPlan, specTestConfig, validRequest, type Placed } from './helpers';

// Every operation of the two fixture specs, over real HTTP: 2xx with a valid credential; 401 with
// none, a forged, an expired and a revoked one; 403 with a token lacking the operation's scope.
const FILES = [ABLY_LIKE, METQUAY_LIKE, ANY_SCHEME];
let server: SpecServer;
const seen: string[] = [];

beforeAll(async () => {
  server = await startSpecServer({ specs: FILES, config: await specTestConfig(FILES, Date.now()), admin: true });
  const revoked = await fetch(`${server.url}/_admin/tokens/revoke`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token: TOKENS.toRevoke }) });
  expect(await revoked.json()).toEqual({ affected: 1 });
});
afterAll(async () => {
  await server.close();
  for (const text of seen) for (const secret of SECRETS) expect(text).not.toContain(secret);
});

async function call(op: ServedOperation, credentials: Placed) {
  const request = validRequest(op, credentials);
  const response = await fetch(`${server.url}${request.path}`, { method: op.method, headers: request.headers, ...(request.body === undefined ? {} : { body: request.body }) });
  const text = await response.text();
  response.headers.forEach((value, name) => seen.push(`${name}: ${value}`));
  seen.push(text);
  return { status: response.status, challenge: response.headers.get('www-authenticate'), text };
}

const cases = (): Array<[string, ServedOperation, Record<string, { type: string; scheme?: string }>]> =>
  server.specs.flatMap((spec) => spec.operations.map((op) => [`${spec.file.split('/').pop()} ${op.name}`, op, spec.securitySchemes] as [string, ServedOperation, Record<string, { type: string }>]));

describe('serve --spec: every operation of the fixture specs', () => {
  test('the fixtures have 22, 15 and 14 operations', () => {
    expect(server.specs.map((spec) => spec.operations.length)).toEqual([22, 15, 14]);
  });

  test('each operation answers 2xx with a valid credential, 401 without or with a bad one, 403 lacking scope', async () => {
    const none: Placed = { headers: {}, query: {} };
    const table: string[] = [];
    for (const [label, op, schemes] of cases()) {
      const plan = credentialPlan(op, schemes);
      if (plan.unmeetable) {
        // Only schemes no server can check here (http digest): refused whatever is sent.
        expect([label, (await call(op, plan.valid)).status, (await call(op, none)).status]).toEqual([label, 401, 401]);
        table.push(`${label}: unmeetable, 401`);
        continue;
      }
      const valid = await call(op, plan.valid);
      expect([label, valid.status >= 200 && valid.status < 300]).toEqual([label, true]);
      if (plan.open) {
        table.push(`${label}: open`);
        continue;
      }
      const refused = await call(op, none);
      expect([label, refused.status]).toEqual([label, 401]);
      if (plan.acceptsBearer) expect(refused.challenge?.split(', ')).toContain('Bearer');
      for (const [kind, credentials] of Object.entries(plan.bad)) {
        const answer = await call(op, credentials);
        expect([label, kind, answer.status]).toEqual([label, kind, 401]);
        if (plan.acceptsBearer) expect([label, kind, answer.challenge]).toEqual([label, kind, expect.stringContaining('error="invalid_token"')]);
      }
      if (plan.scoped) {
        const lacking = await call(op, plan.lacking);
        expect([label, lacking.status]).toEqual([label, 403]);
        expect(lacking.challenge).toMatch(/^Bearer error="insufficient_scope", scope="[^"]+"$/);
      }
      table.push(`${label}: ${valid.status}, 401 x${1 + Object.keys(plan.bad).length}${plan.scoped ? ', 403' : ''}`);
    }
    if (process.env.SHOW_TABLE) console.log(table.join("\n"));
    expect(table).toHaveLength(51);
  });
});

describe('RFC 6750 §3 answers', () => {
  const op = () => server.specs[1]!.operations.find((o) => o.name === 'createCustomer')!;
  test('no token: 401 with a bare Bearer challenge and no error code', async () => {
    const answer = await call(op(), { headers: {}, query: {} });
    expect(answer.status).toBe(401);
    expect(answer.challenge).toBe('Bearer');
  });
  test('expired token: 401 invalid_token, and the description says expired', async () => {
    const answer = await call(op(), { headers: { authorization: `Bearer ${TOKENS.expired}` }, query: {} });
    expect(answer.challenge).toBe('Bearer error="invalid_token", error_description="the token is expired"');
    expect(JSON.parse(answer.text)).toMatchObject({ code: 401, error: 'invalid_token' });
  });
  test('missing scope: 403 insufficient_scope naming the scope', async () => {
    const answer = await call(op(), { headers: { authorization: `Bearer ${TOKENS.noScope}` }, query: {} });
    expect(answer.status).toBe(403);
    expect(answer.challenge).toBe('Bearer error="insufficient_scope", scope="customers:write"');
  });
  test('an OR of bearer and apiKey: the API key alone passes; a {} alternative makes auth optional', async () => {
    const instrument = server.specs[1]!.operations.find((o) => o.name === 'getInstrument')!;
    expect((await call(instrument, { headers: { 'x-api-key': 'wrong' }, query: {} })).status).toBe(401);
    expect((await call(instrument, { headers: { 'x-api-key': API_KEY }, query: {} })).status).toBe(200);
    const requestToken = server.specs[0]!.operations.find((o) => o.name === 'requestAccessToken')!;
    expect((await call(requestToken, { headers: {}, query: {} })).status).toBe(200);
  });
});

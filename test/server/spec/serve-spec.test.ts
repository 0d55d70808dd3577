import { startSpecServer, type SpecServer } from '../../../tokensmith-server/src/server/spec/start';
import type { ServedOperation } from '../../../tokensmith-server/src/server/spec/operations';
import { ABLY_LIKE, BASIC_USER, METQUAY_LIKE, SECRETS, TOKENS, basicHeader, schemeKinds, specTestConfig, validRequest } from './helpers';

// Every operation of the two fixture specs, over real HTTP: 2xx with a valid credential; 401 with
// none, a forged, an expired and a revoked one; 403 with a token lacking the operation's scope.
const FILES = [ABLY_LIKE, METQUAY_LIKE];
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

async function call(op: ServedOperation, auth: Record<string, string>) {
  const request = validRequest(op);
  const response = await fetch(`${server.url}${request.path}`, { method: op.method, headers: { ...request.headers, ...auth }, ...(request.body === undefined ? {} : { body: request.body }) });
  const text = await response.text();
  response.headers.forEach((value, name) => seen.push(`${name}: ${value}`));
  seen.push(text);
  return { status: response.status, challenge: response.headers.get('www-authenticate'), text };
}

const cases = (): Array<[string, ServedOperation, Record<string, { type: string; scheme?: string }>]> =>
  server.specs.flatMap((spec) => spec.operations.map((op) => [`${spec.file.split('/').pop()} ${op.name}`, op, spec.securitySchemes] as [string, ServedOperation, Record<string, { type: string }>]));

describe('serve --spec: every operation of the fixture specs', () => {
  test('the fixtures have 22 and 15 operations', () => {
    expect(server.specs.map((spec) => spec.operations.length)).toEqual([22, 15]);
  });

  test('each operation answers 2xx with a valid credential, 401 without or with a bad one, 403 lacking scope', async () => {
    const table: string[] = [];
    for (const [label, op, schemes] of cases()) {
      const kinds = schemeKinds(op, schemes);
      const valid = await call(op, kinds.valid);
      expect([label, valid.status >= 200 && valid.status < 300]).toEqual([label, true]);
      if (kinds.open) {
        table.push(`${label}: open`);
        continue;
      }
      const none = await call(op, {});
      expect([label, none.status]).toEqual([label, 401]);
      if (kinds.acceptsBearer) expect(none.challenge?.split(', ').includes('Bearer') || none.challenge === 'Bearer').toBe(true);
      const bad = kinds.acceptsBearer
        ? { forged: `Bearer forged-${TOKENS.all}x`, expired: `Bearer ${TOKENS.expired}`, revoked: `Bearer ${TOKENS.toRevoke}` }
        : { forged: basicHeader(BASIC_USER.username, 'forged'), expired: basicHeader('nobody', BASIC_USER.password), revoked: basicHeader(BASIC_USER.username, '') };
      for (const [kind, authorization] of Object.entries(bad)) {
        const answer = await call(op, { authorization });
        expect([label, kind, answer.status]).toEqual([label, kind, 401]);
        if (kinds.acceptsBearer) expect([label, kind, answer.challenge]).toEqual([label, kind, expect.stringContaining('error="invalid_token"')]);
      }
      if (kinds.scoped) {
        const lacking = await call(op, { authorization: `Bearer ${TOKENS.noScope}` });
        expect([label, lacking.status]).toEqual([label, 403]);
        expect(lacking.challenge).toMatch(/^Bearer error="insufficient_scope", scope="[^"]+"$/);
      }
      table.push(`${label}: ${valid.status}/401/401/401/401${kinds.scoped ? '/403' : ''}`);
    }
    expect(table).toHaveLength(37);
  });
});

describe('RFC 6750 §3 answers', () => {
  const op = () => server.specs[1]!.operations.find((o) => o.name === 'createCustomer')!;
  test('no token: 401 with a bare Bearer challenge and no error code', async () => {
    const answer = await call(op(), {});
    expect(answer.status).toBe(401);
    expect(answer.challenge).toBe('Bearer');
  });
  test('expired token: 401 invalid_token, and the description says expired', async () => {
    const answer = await call(op(), { authorization: `Bearer ${TOKENS.expired}` });
    expect(answer.challenge).toBe('Bearer error="invalid_token", error_description="the token is expired"');
    expect(JSON.parse(answer.text)).toMatchObject({ code: 401, error: 'invalid_token' });
  });
  test('missing scope: 403 insufficient_scope naming the scope', async () => {
    const answer = await call(op(), { authorization: `Bearer ${TOKENS.noScope}` });
    expect(answer.status).toBe(403);
    expect(answer.challenge).toBe('Bearer error="insufficient_scope", scope="customers:write"');
  });
  test('an OR of bearer and apiKey: the API key alone passes; a {} alternative makes auth optional', async () => {
    const instrument = server.specs[1]!.operations.find((o) => o.name === 'getInstrument')!;
    expect((await call(instrument, { 'x-api-key': 'wrong' })).status).toBe(401);
    const requestToken = server.specs[0]!.operations.find((o) => o.name === 'requestAccessToken')!;
    expect((await call(requestToken, {})).status).toBe(200);
  });
});

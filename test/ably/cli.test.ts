/**
 * `tokensmith ably …`: in process for the outputs, and once as a real process for the error line.
 */
import { spawnSync } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { join } from 'node:path';
import { Command } from 'commander';
import { registerAblyCommands } from '../../tokensmith-server/src/cli/ably';
import { tokenRequestSigningText } from '../../src/ably/token-request-signing';
import { DEMO_CREDENTIALS, startLocalAbly } from './helpers/server';

const KEY = DEMO_CREDENTIALS.ablyKey;
const SECRET = KEY.split(':')[1]!;

async function run(args: string[], env: Record<string, string | undefined> = { ABLY_KEY: KEY }): Promise<Record<string, unknown>> {
  let out = '';
  const program = new Command('tokensmith').exitOverride();
  registerAblyCommands(program, { write: (text) => (out += text), env });
  await program.parseAsync(['node', 'tokensmith', ...args]);
  return JSON.parse(out) as Record<string, unknown>;
}

describe('tokensmith ably', () => {
  let local: Awaited<ReturnType<typeof startLocalAbly>>;
  beforeAll(async () => {
    local = await startLocalAbly();
  });
  afterAll(() => local.server.close());

  it('token-request prints a TokenRequest signed with ABLY_KEY', async () => {
    const request = await run(['ably', 'token-request', '--client-id', 'alice', '--capability', '{"chat:*":["subscribe","publish"]}', '--ttl', '60000']);
    expect(request).toMatchObject({ keyName: 'demoApp.demoKey', clientId: 'alice', capability: '{"chat:*":["publish","subscribe"]}', ttl: 60000 });
    expect(request.mac).toBe(createHmac('sha256', SECRET).update(tokenRequestSigningText(request)).digest('base64'));
    expect(JSON.stringify(request)).not.toContain(SECRET);
  });

  it('--key wins over ABLY_KEY', async () => {
    const request = await run(['ably', 'token-request', '--key', 'other.key:s'], { ABLY_KEY: KEY });
    expect(request.keyName).toBe('other.key');
  });

  it('request-token obtains a token from --url, masked unless --show-token', async () => {
    const masked = await run(['ably', 'request-token', '--url', local.url, '--client-id', 'bob']);
    expect(masked).toMatchObject({ keyName: 'demoApp.demoKey', clientId: 'bob' });
    expect(masked.token).toMatch(/^\[masked: \d+ characters/);
    const shown = await run(['ably', 'request-token', '--url', local.url, '--show-token']);
    const check = await fetch(`${local.url}/channels/cli/messages`, { headers: { authorization: `Bearer ${Buffer.from(String(shown.token)).toString('base64')}` } });
    expect(check.status).toBe(200);
  });

  it('jwt prints an Ably JWT (kid = keyName) the server accepts', async () => {
    const { token } = await run(['ably', 'jwt', '--client-id', 'carol', '--ttl', '60000', '--show-token']);
    const [header, claims] = String(token).split('.').slice(0, 2).map((part) => JSON.parse(Buffer.from(part, 'base64url').toString()) as Record<string, unknown>);
    expect(header).toEqual({ typ: 'JWT', alg: 'HS256', kid: 'demoApp.demoKey' });
    expect(claims!['x-ably-clientId']).toBe('carol');
    expect(Number(claims!.exp) - Number(claims!.iat)).toBe(60);
    const check = await fetch(`${local.url}/channels/cli/messages`, { headers: { authorization: `Bearer ${Buffer.from(String(token)).toString('base64')}` } });
    expect(check.status).toBe(200);
    expect((await run(['ably', 'jwt'])).token).toMatch(/^\[masked/);
  });

  it.each([
    [['ably', 'token-request'], {}, 40101],
    [['ably', 'token-request', '--ttl', 'soon'], { ABLY_KEY: KEY }, 40003],
    [['ably', 'token-request', '--capability', '{"a":[]}'], { ABLY_KEY: KEY }, 40003],
    [['ably', 'token-request', '--client-id', ''], { ABLY_KEY: KEY }, 40012],
    [['ably', 'token-request', '--key', 'no-secret'], {}, 40101],
  ])('%j fails with a typed error', async (args, env, code) => {
    await expect(run(args, env)).rejects.toMatchObject({ code });
  });

  it.each([
    [['request-token', '--url', 'rest.ably.io'], { ABLY_KEY: KEY }, 40003, '--url must be an absolute http(s) URL'],
    [['request-token', '--url', 'ftp://127.0.0.1'], { ABLY_KEY: KEY }, 40003, '--url must be an http(s) URL'],
    [['request-token', '--url', 'http://user:pass@127.0.0.1:9'], { ABLY_KEY: KEY }, 40003, '--url must not hold a user name or password'],
    [['token-request', '--key', 'no-secret'], {}, 40101, '--key must look like appId.keyId:keySecret'],
    [['token-request'], { ABLY_KEY: 'no-secret' }, 40101, 'ABLY_KEY must look like appId.keyId:keySecret'],
    [['token-request', '--capability', '{"chat":'], { ABLY_KEY: KEY }, 40003, '--capability must be a JSON object'],
    [['token-request', '--capability', '{"chat":["publish", 1]}'], { ABLY_KEY: KEY }, 40003, '--capability must be a JSON object'],
    [['token-request', '--client-id', ''], { ABLY_KEY: KEY }, 40012, '--client-id must not be empty'],
    [['token-request', '--ttl', '1.5'], { ABLY_KEY: KEY }, 40003, '--ttl must be a positive integer'],
  ])('ably %j: the error names the flag or variable typed, never the option it becomes', async (args, env, code, message) => {
    const failure = run(['ably', ...args], env);
    await expect(failure).rejects.toMatchObject({ code, message: expect.stringContaining(message) });
    await expect(failure).rejects.not.toMatchObject({ message: expect.stringMatching(/"baseUrl"|"key"|"clientId"|pass@/) });
  });
});

it('as a process: an error is one line on stderr with its code, exit status 1, and no secret', () => {
  const tsx = join(process.cwd(), 'node_modules', 'tsx', 'dist', 'cli.mjs');
  const secret = 'VerySecretCliValue';
  const result = spawnSync(process.execPath, [tsx, 'tokensmith-server/src/cli/main.ts', 'ably', 'request-token', '--url', 'http://127.0.0.1:9'], {
    env: { ...process.env, ABLY_KEY: `app.key:${secret}` },
    encoding: 'utf8',
    timeout: 30_000,
  });
  expect(result.status).toBe(1);
  expect(result.stdout).toBe('');
  expect(result.stderr.trim().split('\n')).toHaveLength(1);
  expect(result.stderr).toMatch(/^tokensmith: .* \(code \d+\)\n$/);
  expect(result.stderr).not.toContain(secret);
});

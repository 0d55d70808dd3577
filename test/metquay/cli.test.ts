import { spawn } from 'node:child_process';
import path from 'node:path';
import { Command } from 'commander';
import { maskToken, registerMetquayCommands } from '../../tokensmith-server/src/cli/metquay';
import { CLIENT, startTestServer } from '../server/metquay/helpers';

async function run(args: string[], env: Record<string, string | undefined>): Promise<string> {
  let out = '';
  const program = new Command('tokensmith').exitOverride();
  registerMetquayCommands(program, { write: (text) => void (out += text), env });
  await program.parseAsync(['node', 'tokensmith', ...args]);
  return out;
}

const keysEnv = { METQUAY_ACCESS_KEY: CLIENT.accessKey, METQUAY_SECRET_KEY: CLIENT.secretKey };

describe('tokensmith metquay authenticate', () => {
  it('prints the token response with the token masked', async () => {
    const server = await startTestServer();
    const out = await run(['metquay', 'authenticate', '--url', `${server.url}/api/v1`], keysEnv);
    const printed = JSON.parse(out);
    expect(printed).toEqual({ accessToken: expect.stringMatching(/^\[masked: \d+ characters/), tokenType: 'bearer', expiresIn: 900 });
    expect(out).not.toMatch(/eyJ/);
    expect(out).not.toContain(CLIENT.secretKey);
  });

  it('prints the whole token with --show-token, and takes the URL from METQUAY_BASE_URL', async () => {
    const server = await startTestServer();
    const out = await run(['metquay', 'authenticate', '--show-token'], { ...keysEnv, METQUAY_BASE_URL: `${server.url}/api/v1` });
    const { accessToken } = JSON.parse(out);
    expect(accessToken.split('.')).toHaveLength(3);
    expect((await server.call('GET', '/api/v1/customers', { headers: { authorization: `Bearer ${accessToken}` } })).status).toBe(200);
  });

  it('fails naming the missing variable, without printing any value', async () => {
    await expect(run(['metquay', 'authenticate', '--url', 'http://127.0.0.1:1/api/v1'], { METQUAY_ACCESS_KEY: 'visible-access' })).rejects.toMatchObject({
      code: 40106,
      message: expect.stringContaining('METQUAY_SECRET_KEY'),
    });
  });

  it.each([
    ['the base URL without /api/v1', '', '--url usually ends in /api/v1, e.g. http://127.0.0.1:8080/api/v1'],
    ['a wrong path that ends in /api/v1', '/v2/api/v1', 'check that --url points at a Metquay API'],
  ])('a 404 from /authenticate at %s says what to fix in --url', async (_case, suffix, hint) => {
    const server = await startTestServer();
    const failure = run(['metquay', 'authenticate', '--url', `${server.url}${suffix}`], keysEnv);
    await expect(failure).rejects.toMatchObject({ statusCode: 404, message: expect.stringContaining(hint) });
    await expect(failure).rejects.toMatchObject({ cause: expect.objectContaining({ statusCode: 404 }) });
  });

  it('the 404 hint names METQUAY_BASE_URL when the URL came from it', async () => {
    const server = await startTestServer();
    await expect(run(['metquay', 'authenticate'], { ...keysEnv, METQUAY_BASE_URL: server.url })).rejects.toMatchObject({
      message: expect.stringContaining('METQUAY_BASE_URL usually ends in /api/v1'),
    });
  });

  it.each([
    [['--url', 'metquay.example.com/api/v1'], {}, '--url must be an absolute http(s) URL'],
    [['--url', 'ftp://127.0.0.1/api/v1'], {}, '--url must be an http(s) URL'],
    [['--url', 'http://user:pass@127.0.0.1:1/api/v1'], {}, '--url must not hold a user name or password'],
    [[], { METQUAY_BASE_URL: 'not a url' }, 'METQUAY_BASE_URL must be an absolute http(s) URL'],
  ])('a bad URL %j %j is refused naming where it came from', async (args, env, message) => {
    const failure = run(['metquay', 'authenticate', ...args], { ...keysEnv, ...env });
    await expect(failure).rejects.toMatchObject({ code: 40003, message: expect.stringContaining(message) });
    await expect(failure).rejects.not.toMatchObject({ message: expect.stringMatching(/baseUrl|pass@/) });
  });

  it('maskToken keeps nothing of the token', () => {
    const masked = maskToken({ accessToken: 'abcdefghijklmnop', tokenType: 'bearer' });
    expect(masked.accessToken).toBe('[masked: 16 characters; --show-token prints it]');
  });

  it('runs as a real process: exit 1 and one stderr line with the code on wrong credentials', async () => {
    const server = await startTestServer();
    const root = path.resolve(__dirname, '../..');
    // Not spawnSync: it would block the event loop this test's server answers on.
    const result = await new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
      const child = spawn(process.execPath, [path.join(root, 'node_modules/tsx/dist/cli.mjs'), 'tokensmith-server/src/cli/main.ts', 'metquay', 'authenticate', '--url', `${server.url}/api/v1`], {
        cwd: root,
        env: { ...process.env, METQUAY_ACCESS_KEY: CLIENT.accessKey, METQUAY_SECRET_KEY: 'wrong-secret-for-cli' },
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      child.on('close', (status) => resolve({ status, stdout, stderr }));
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/^tokensmith: Metquay \/authenticate refused the credentials \(HTTP 401\).*\(code 40101\)\n$/);
    expect(result.stderr).not.toContain('wrong-secret-for-cli');
    expect(result.stdout).toBe('');
  });
});

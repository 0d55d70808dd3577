/**
 * runDemo in-process: failures are one line and close the server; and, knowing every token the
 * run handled (recorded from the wire), none of them is printed beyond its first 6 characters.
 */
import { TokensmithError } from '../../src';
import { DEMO_CREDENTIALS, type AuthServer } from '../../tokensmith-server/src/server';
import { check } from '../../scripts/demo/format';
import { runDemo } from '../../scripts/demo/run';
import type { DemoStep } from '../../scripts/demo/context';

interface Captured {
  code: number;
  out: string[];
  err: string[];
  server: AuthServer | undefined;
}

async function capture(steps?: readonly DemoStep[], stepTimeoutMs?: number): Promise<Captured> {
  const result: Captured = { code: -1, out: [], err: [], server: undefined };
  result.code = await runDemo({
    out: (line) => result.out.push(line),
    err: (line) => result.err.push(line),
    onServer: (server) => (result.server = server),
    ...(steps ? { steps } : {}),
    ...(stepTimeoutMs ? { stepTimeoutMs } : {}),
  });
  return result;
}

async function isClosed(server: AuthServer | undefined): Promise<boolean> {
  if (!server) return false;
  return fetch(`${server.url}/time`).then(
    () => false,
    () => true,
  );
}

const passing: DemoStep = { title: 'a passing step', run: async () => ['fine'] };

describe('runDemo failures', () => {
  it.each<[string, DemoStep, RegExp]>([
    ['a thrown TokensmithError', { title: 'boom', run: async () => Promise.reject(new TokensmithError(40142, 'token expired')) }, /^demo failed at step 2 \(boom\): token expired \(code 40142\)$/],
    ['a failed check', { title: 'checked', run: async () => (check(false, 'expected 1 /authenticate, saw 2'), []) }, /^demo failed at step 2 \(checked\): expected 1 \/authenticate, saw 2$/],
    ['a multi-line message', { title: 'wrapped', run: async () => Promise.reject(new Error('first\n  second')) }, /^demo failed at step 2 \(wrapped\): first second$/],
  ])('%s: exit 1, one line on stderr, later steps skipped, server closed', async (_name, failing, message) => {
    const run = await capture([passing, failing, passing]);
    expect(run.code).toBe(1);
    expect(run.err).toEqual([expect.stringMatching(message)]);
    expect(run.out.filter((line) => /^ ?\d+\. /.test(line))).toEqual([' 1. a passing step']);
    expect(await isClosed(run.server)).toBe(true);
  });

  it('a step that hangs fails after the step timeout', async () => {
    const hanging: DemoStep = { title: 'hangs', run: () => new Promise<string[]>(() => undefined) };
    const run = await capture([hanging], 50);
    expect(run.code).toBe(1);
    expect(run.err).toEqual(['demo failed at step 1 (hangs): timed out after 0.05 s']);
    expect(await isClosed(run.server)).toBe(true);
  });

  it('each step sees only its own requests in the log', async () => {
    const seen: string[][] = [];
    const probe: DemoStep = {
      title: 'probe',
      run: async ({ url, requests }) => {
        await fetch(`${url}/time`);
        seen.push(await requests());
        return ['ok'];
      },
    };
    expect((await capture([probe, probe])).code).toBe(0);
    expect(seen).toEqual([['GET /time 200'], ['GET /time 200']]);
  });
});

describe('runDemo output holds no secret it handled', () => {
  const handled = new Set<string>();
  const realFetch = globalThis.fetch;
  let run: Captured;

  beforeAll(async () => {
    globalThis.fetch = async (input, init) => {
      const request = new Request(input, init);
      const authorization = request.headers.get('authorization');
      if (authorization?.startsWith('Bearer ')) handled.add(authorization.slice(7));
      const response = await realFetch(request);
      const body = await response.clone().text();
      for (const match of body.matchAll(/"(token|accessToken|mac|nonce)":"([^"]+)"/g)) handled.add(match[2]!);
      return response;
    };
    try {
      run = await capture();
    } finally {
      globalThis.fetch = realFetch;
    }
  }, 60_000);

  it('the full run passes', () => {
    expect(run.err).toEqual([]);
    expect(run.code).toBe(0);
  });

  it('tokens, JWTs, MACs and nonces seen on the wire appear at most as their first 6 characters', () => {
    const published = Object.values(DEMO_CREDENTIALS).flatMap((value): string[] => (typeof value === 'string' ? [value] : []));
    const secrets = [...handled].filter((value) => !published.includes(value));
    expect(secrets.length).toBeGreaterThan(10);
    const output = run.out.join('\n');
    const leaked = secrets.filter((secret) => windowsPastMask(secret).some((window) => output.includes(window)));
    expect(leaked.map(mask)).toEqual([]);
  });
});

function mask(secret: string): string {
  return `${secret.slice(0, 6)}…`;
}

/**
 * Every 10-character window of a secret past the 6 characters the demo may print. A JWT's header
 * is skipped: it is the same for every HS256 JWT, so it tells nothing.
 */
function windowsPastMask(secret: string): string[] {
  const parts = secret.split('.');
  const start = parts.length === 3 && secret.startsWith('eyJ') ? parts[0]!.length + 1 : 6;
  const windows: string[] = [];
  for (let i = start; i + 10 <= secret.length; i++) windows.push(secret.slice(i, i + 10));
  return windows;
}

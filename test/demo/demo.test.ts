/**
 * `npm start` as a user runs it: the demo script in its own process against its embedded server.
 */
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { DEMO_CREDENTIALS } from '../../tokensmith-server/src/server';
import { demoSteps } from '../../scripts/demo/run';

const ROOT = resolve(__dirname, '..', '..');
let run: { code: number | null; stdout: string; stderr: string; ms: number };

beforeAll(async () => {
  const started = Date.now();
  run = await new Promise((done, fail) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/demo.ts'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', fail);
    child.on('close', (code) => done({ code, stdout, stderr, ms: Date.now() - started }));
  });
}, 60_000);

/** Runs of token-like characters mixing upper case, lower case and digits: what a leaked token, MAC, nonce or JWT looks like. */
function secretLookingRuns(text: string): string[] {
  const runs = text.match(/[A-Za-z0-9+/_=-]{16,}/g) ?? [];
  return runs.filter((run) => /[A-Z]/.test(run) && /[a-z]/.test(run) && /\d/.test(run));
}

describe('npm start (scripts/demo.ts)', () => {
  it('exits 0 with nothing on stderr', () => {
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
  });

  it('prints every step, numbered in order, each followed by what happened', () => {
    const lines = run.stdout.split('\n');
    const titles = demoSteps().map((step) => step.title);
    const numbered = lines.filter((line) => /^ ?\d+\. /.test(line));
    expect(numbered).toEqual(titles.map((title, index) => `${String(index + 1).padStart(2)}. ${title}`));
    for (const heading of numbered) {
      expect(lines[lines.indexOf(heading) + 1]).toMatch(/^ {4}\S/);
    }
    expect(lines).toContain(`All ${titles.length} steps passed in ${run.stdout.match(/passed in (\d+\.\d) s/)?.[1]} s. Next: the README quickstarts, and examples/ against \`npm run serve\`.`);
  });

  it.each([
    ['Basic auth makes no token request', /POST \/channels\/demo:basic\/messages -> 201; token requests: 0/],
    ['a replayed TokenRequest is refused', /the same TokenRequest again -> 401 40105/],
    ['the authCallback is called once for two publishes', /callback calls: 1; token requests: 1/],
    ['the authUrl is called once', /authUrl calls: 1; token requests: 1/],
    ['a capability refusal is 40160', /publish on payroll -> 401 40160/],
    ['expiry is healed by one renewal', /GET history -> 401 40142 -> requestToken 200 -> the same GET retried once -> 200/],
    ['the renewal is counted', /token requests: 2 \(authorize \+ 1 renewal\)/],
    ['Metquay reuses its token', /\/authenticate calls in this step: 0/],
    ['100 concurrent Metquay calls share one /authenticate', /100 × GET \/customers started together -> 100 × 200\n.*1 POST \/api\/v1\/authenticate, 100 GET/],
  ])('key figure: %s', (_name, pattern) => {
    expect(run.stdout).toMatch(pattern);
  });

  it('prints the demo credentials and no other secret: tokens and MACs are masked to 6 characters', () => {
    const output = run.stdout + run.stderr;
    expect(output).toContain(DEMO_CREDENTIALS.ablyKey);
    const published = Object.values(DEMO_CREDENTIALS).flatMap((value): string[] => (typeof value === 'string' ? [value] : []));
    const leaks = secretLookingRuns(output).filter((candidate) => !published.some((credential) => credential.includes(candidate)));
    expect(leaks).toEqual([]);
    expect(output).not.toMatch(/eyJ[\w-]{7,}/); // a JWT header beyond its first 6 characters
    expect(output.match(/\S{6}…/g)?.length).toBeGreaterThanOrEqual(8);
  });

  it('names the Metquay secret key only as the published demo credential', () => {
    const mentions = run.stdout.split(DEMO_CREDENTIALS.metquaySecretKey).length - 1;
    expect(mentions).toBe(1); // the banner, never a request line
  });
});

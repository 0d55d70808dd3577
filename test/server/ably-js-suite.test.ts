/**
 * The official ably-js REST test files, unchanged, against the local server: its own mocha
 * harness provisions apps through `ABLY_LOCAL_SANDBOX_URL` (`POST /apps`, `POST /stats`,
 * `DELETE /apps/{appId}`) and routes its clients to the `endpoint`, `port` and `tls` the answer
 * names. No ably-js code lives in this repository: `ABLY_JS_DIR` names a checkout of its test
 * files (test/rest, test/common with ably-common's test-resources, test/support, .mocharc.js),
 * with mocha, chai, async, ulid, dequal and source-map-support installed beside them and `build/`
 * holding the `ably` package's build (`ably-node.js`). See docs/offline-ably.md.
 *
 * Each file runs with the tests listed in LEFT_OUT excluded by title (each needs a realtime
 * connection or an internet host); every other test must pass. FILES_LEFT_OUT names the files not
 * run at all (push, LiveObjects, network fallbacks), with the reason.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startAuthServer, type AuthServer } from '../../tokensmith-server/src/server';

const ABLY_JS_DIR = process.env.ABLY_JS_DIR;

const ECHO = 'mints or echoes through echo.ably.io, an internet host';
const REALTIME = 'needs a realtime connection';

/** Tests left out, by file and full mocha title, with the reason. */
const LEFT_OUT: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  'auth.test.js': {
    'rest/auth Basic rest JWT': ECHO,
    'rest/auth Rest JWT with return type ': ECHO,
    'rest/auth Rest embedded JWT': ECHO,
    'rest/auth Rest embedded JWT with encryption': ECHO,
    'rest/auth JWT request with invalid key': ECHO,
    'rest/auth Rest JWT with authCallback': ECHO,
    'rest/auth Rest JWT with authCallback and invalid keys': ECHO,
  },
  'batch.test.js': {
    'rest/batchPresence performs a batch presence fetch and returns a result': `${REALTIME} (it enters presence in realtime)`,
    'rest/revokeTokens revokes tokens matching the given specifiers': `${REALTIME} (it watches realtime clients get disconnected)`,
  },
  'init.test.js': {
    'rest/init Init without any tls key should enable tls': "client-side only: the local-sandbox harness gives every client the app's tls: false, so the TLS default cannot show",
  },
  'message.test.js': {
    'rest/message allows you to publish a message on behalf of a Realtime connection by setting connectionKey on the message': REALTIME,
  },
  'request.test.js': {
    'rest/request checkput': ECHO,
    'rest/request checkpatch': ECHO,
    'rest/request checkdelete': ECHO,
  },
};

/** Files left out whole, with the reason. */
const FILES_LEFT_OUT: Readonly<Record<string, string>> = {
  'push.test.js': 'push (device registrations, channel subscriptions, activation) is not served',
  'liveobjects.test.js': 'LiveObjects (the /objects routes) are not served',
  'fallbacks.test.js':
    "needs 10.255.255.1 to be unroutable (to time out) and expects the cloud sandbox's host name; this machine's network answers that address at once",
};

const FILES = [
  'api', 'auth', 'batch', 'bufferutils', 'capability', 'defaults', 'history', 'http', 'init', 'message',
  'presence', 'request', 'stats', 'status', 'time', 'updates-deletes',
].map((name) => `${name}.test.js`);

interface MochaReport {
  stats: { tests: number; passes: number; failures: number; pending: number };
  failures: Array<{ fullTitle: string; err: { message?: string } }>;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Runs one ably-js test file with mocha in the checkout, the left-out tests excluded by title. */
async function runFile(dir: string, file: string, sandboxUrl: string): Promise<MochaReport> {
  const out = mkdtempSync(path.join(tmpdir(), 'ably-js-'));
  const report = path.join(out, 'report.json');
  const leftOut = Object.keys(LEFT_OUT[file] ?? {});
  const args = [path.join(dir, 'node_modules/mocha/bin/mocha.js'), '--reporter', 'json', '--reporter-option', `output=${report}`];
  if (leftOut.length > 0) args.push('--grep', `^(${leftOut.map(escapeRegExp).join('|')})$`, '--invert');
  args.push(`test/rest/${file}`);
  try {
    await new Promise<void>((resolve, reject) => {
      const child = spawn(process.execPath, args, {
        cwd: dir,
        env: { ...process.env, ABLY_LOCAL_SANDBOX_URL: sandboxUrl, ABLY_USE_TLS: 'false' },
        stdio: 'ignore',
      });
      child.on('error', reject);
      child.on('exit', () => resolve());
    });
    return JSON.parse(readFileSync(report, 'utf8')) as MochaReport;
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

if (ABLY_JS_DIR === undefined || !existsSync(path.join(ABLY_JS_DIR, 'test/rest'))) {
  const reason = 'ABLY_JS_DIR is not set to a checkout of the ably-js test files; see the comment at the top of test/server/ably-js-suite.test.ts';
  describe.skip(`ably-js REST test files against the local server [skipped: ${reason}]`, () => {
    test.each(FILES)('%s', () => undefined);
  });
} else {
  const dir = ABLY_JS_DIR;
  describe('ably-js REST test files, unchanged, against the local server', () => {
    let server: AuthServer;
    beforeAll(async () => {
      // A real clock: the SDK signs with its own. Admin on: the harness provisions apps (every
      // file its own, and rest/stats a second one), so more apps than the default 20 may be alive.
      server = await startAuthServer({ admin: true, port: 0, config: { ably: { maxApps: 100 } } });
    });
    afterAll(() => server.close());

    test.each(FILES)('%s: every test not left out passes', async (file) => {
      const report = await runFile(dir, file, server.url);
      const failed = report.failures.map((failure) => `${failure.fullTitle}: ${failure.err.message ?? ''}`);
      expect(failed).toEqual([]);
      expect(report.stats.passes).toBeGreaterThan(0);
    }, 5 * 60_000);

    test('the files left out whole are named with their reason', () => {
      for (const [file, reason] of Object.entries(FILES_LEFT_OUT)) {
        expect(FILES).not.toContain(file);
        expect(reason).not.toBe('');
      }
    });
  });
}

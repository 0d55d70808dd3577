/**
 * The `npm start` walk-through: starts the local auth server on an ephemeral port with its test
 * controls, runs each step against it, prints what happened, and always closes the server.
 */
import { adminClient, DEMO_CREDENTIALS, demoServerConfig, startAuthServer, type AuthServer, type ServerConfigInput } from '../../tokensmith-server/src/server';
import { ablyAuthSteps } from './ably-auth-steps';
import { ablyTokenSteps } from './ably-token-steps';
import { describeRequest, type DemoContext, type DemoStep } from './context';
import { oneLine } from './format';
import { metquaySteps } from './metquay-steps';

/** Options of {@link runDemo}; tests replace the steps and the output. */
export interface DemoOptions {
  /** Receives each stdout line. Default: `process.stdout`. */
  out?: (line: string) => void;
  /** Receives the one-line failure message. Default: `process.stderr`. */
  err?: (line: string) => void;
  /** The steps to run. Default: all of them, see {@link demoSteps}. */
  steps?: readonly DemoStep[];
  /** A step that takes longer fails the demo. Default 15 s. */
  stepTimeoutMs?: number;
  /** Called with the server once it listens (tests check it is closed afterwards). */
  onServer?: (server: AuthServer) => void;
}

/** Every step, in order. */
export function demoSteps(): DemoStep[] {
  return [...ablyAuthSteps, ...ablyTokenSteps, ...metquaySteps()];
}

/**
 * The demo server's config: the published demo credentials, with the Metquay rate limit raised
 * from 100 to 1 000 a minute so the concurrency step's 100 calls fit beside the others.
 */
export function demoConfig(): ServerConfigInput {
  const config = demoServerConfig();
  return { ...config, metquay: { ...config.metquay, rateLimitPerMinute: 1_000 } };
}

/** Runs the walk-through; resolves with the exit code (0 when every step passed). */
export async function runDemo(options: DemoOptions = {}): Promise<number> {
  const out = options.out ?? ((line: string) => void process.stdout.write(`${line}\n`));
  const err = options.err ?? ((line: string) => void process.stderr.write(`${line}\n`));
  const steps = options.steps ?? demoSteps();
  const started = performance.now();
  let server: AuthServer | undefined;
  let current = 'starting the local auth server';
  try {
    server = await startAuthServer({ admin: true, config: demoConfig() });
    options.onServer?.(server);
    const admin = adminClient(server.url);
    printBanner(out, server.url);
    const context: DemoContext = {
      url: server.url,
      metquayUrl: `${server.url}/api/v1`,
      admin,
      requests: async () => (await admin.requests()).map(describeRequest),
    };
    for (const [index, step] of steps.entries()) {
      current = `step ${index + 1} (${step.title})`;
      await admin.clearRequests();
      const lines = await withTimeout(step.run(context), options.stepTimeoutMs ?? 15_000);
      out(`${String(index + 1).padStart(2)}. ${step.title}`);
      for (const line of lines) out(`    ${line}`);
    }
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    out('');
    out(`All ${steps.length} steps passed in ${seconds} s. Next: the README quickstarts, and examples/ against \`npm run serve\`.`);
    return 0;
  } catch (error) {
    err(`demo failed at ${current}: ${oneLine(error)}`);
    return 1;
  } finally {
    await server?.close().catch(() => undefined);
  }
}

function printBanner(out: (line: string) => void, url: string): void {
  out(`tokensmith demo: local auth server on ${url} (test controls under /_admin)`);
  out('demo credentials (public, for local use only):');
  out(`  ably key:          ${DEMO_CREDENTIALS.ablyKey}`);
  out(`  ably limited key:  ${DEMO_CREDENTIALS.ablyLimitedKey}`);
  out(`  metquay base URL:  ${url}/api/v1`);
  out(`  metquay keys:      ${DEMO_CREDENTIALS.metquayAccessKey} / ${DEMO_CREDENTIALS.metquaySecretKey}`);
  out('');
}

async function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms / 1000} s`)), ms);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * The README's Quickstart snippets and the harness that runs them: a prelude that sends their
 * hosts (rest.ably.io, api.example.com, metquay.example.com) to local servers and refuses any
 * other non-loopback host, and a runner that imports each snippet in turn. Shared by the test that
 * runs them against the sources and the one that runs them from the packed tarballs.
 */
import { readFileSync } from 'node:fs';
import { DEMO_CREDENTIALS } from '../../tokensmith-server/src/server/demo-config';

/** Sends requests to the origins in `SNIPPET_HOSTS` (JSON, origin -> local URL) to those URLs instead. */
export const PRELUDE = `
const hosts: Record<string, string> = JSON.parse(process.env.SNIPPET_HOSTS ?? '{}');
const realFetch = globalThis.fetch;
globalThis.fetch = async (input, init) => {
  const request = new Request(input, init);
  const url = new URL(request.url);
  const target = hosts[url.origin];
  if (target === undefined) {
    if (url.hostname !== '127.0.0.1') throw new Error('snippet tried to reach ' + url.origin);
    return realFetch(request);
  }
  const body = request.method === 'GET' || request.method === 'HEAD' ? undefined : await request.arrayBuffer();
  return realFetch(target + url.pathname + url.search, { method: request.method, headers: request.headers, body, redirect: request.redirect, signal: request.signal });
};
`;

/** Imports each snippet in turn (each runs to completion, top-level await included); lists the failures. */
export const RUNNER = `
import './prelude.js';
const failures: string[] = [];
for (const file of process.argv.slice(2)) {
  try {
    await import(file);
  } catch (error) {
    failures.push(file.split('/').pop() + ': ' + (error instanceof Error ? error.message : String(error)));
  }
}
if (failures.length > 0) {
  process.stderr.write(failures.join('\\n') + '\\n');
  process.exitCode = 1;
}
`;

/** The ```ts blocks of the README's Quickstart section: from its heading to the next heading of the same or a higher level. */
export function quickstartSnippets(readmePath: string): string[] {
  const readme = readFileSync(readmePath, 'utf8');
  const heading = /^(#{2,3}) Quickstart$/m.exec(readme);
  if (!heading) throw new Error(`${readmePath} has no "## Quickstart" or "### Quickstart" heading`);
  const rest = readme.slice(heading.index + heading[0].length);
  const next = new RegExp(`^#{2,${heading[1]!.length}} `, 'm').exec(rest);
  const section = next ? rest.slice(0, next.index) : rest;
  return [...section.matchAll(/```ts\n([\s\S]*?)```/g)].map((match) => match[1]!);
}

/** The environment the snippets run in: the demo credentials, and their hosts sent to the local servers. */
export function snippetEnv(localServerUrl: string, tokenEndpointOrigin: string): Record<string, string> {
  return {
    ABLY_KEY: DEMO_CREDENTIALS.ablyKey,
    METQUAY_ACCESS_KEY: DEMO_CREDENTIALS.metquayAccessKey,
    METQUAY_SECRET_KEY: DEMO_CREDENTIALS.metquaySecretKey,
    SNIPPET_HOSTS: JSON.stringify({
      'https://rest.ably.io': localServerUrl,
      'https://metquay.example.com': localServerUrl,
      'https://api.example.com': tokenEndpointOrigin,
    }),
  };
}

/** Requests the local server must have answered once the snippets ran (beside: no answer other than 200/201). */
export const SNIPPET_REQUESTS = ['POST /keys/demoApp.demoKey/requestToken 200', 'POST /api/v1/authenticate 200', 'POST /channels/orders/messages 201'];

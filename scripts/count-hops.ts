/**
 * Counts the source files a cold `createAblyClient({ key, useTokenAuth: true }).GET('/channels/{channelId}/messages')`
 * executes code in, from the call to the HTTP answer: V8 precise coverage is reset just before the
 * call and read just after, and every file under src/ with a function that ran is listed. The
 * client is built before the reset, so construction is not counted; the first GET fetches a
 * token (sign, exchange) and then sends the request.
 *
 * Run: `npx tsx scripts/count-hops.ts`
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Session } from 'node:inspector/promises';
import { fileURLToPath } from 'node:url';
import { relative } from 'node:path';
import { createAblyClient } from '../src/client';

const root = fileURLToPath(new URL('..', import.meta.url));

const server = createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    res.setHeader('content-type', 'application/json');
    if (req.url?.includes('/requestToken')) {
      const now = Date.now();
      res.end(JSON.stringify({ token: 'tok', keyName: 'app.key', issued: now, expires: now + 3_600_000, capability: '{"*":["*"]}' }));
    } else res.end('[]');
  });
});
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

const client = createAblyClient({ key: 'app.key:secret-value', useTokenAuth: true, baseUrl });
const session = new Session();
session.connect();
await session.post('Profiler.enable');
await session.post('Profiler.startPreciseCoverage', { callCount: true, detailed: false });
await session.post('Profiler.takePreciseCoverage');
const answer = await client.GET('/channels/{channelId}/messages', { params: { path: { channelId: 'hops' } } }).catch((error: unknown) => ({ error }));
if (process.env.DEBUG_HOPS) console.error(answer);
const { result } = await session.post('Profiler.takePreciseCoverage');
await session.post('Profiler.stopPreciseCoverage');
server.close();

const files = new Set<string>();
let functions = 0;
for (const script of result) {
  if (process.env.DEBUG_HOPS && script.functions.some((fn) => fn.ranges.some((r) => r.count > 0))) console.error(script.url);
  if (!script.url.startsWith('file://')) continue;
  const path = relative(root, fileURLToPath(script.url));
  if (!path.startsWith('src/') && !path.startsWith('generated/')) continue;
  const ran = script.functions.filter((fn) => fn.functionName !== '' && fn.ranges[0]!.count > 0);
  if (script.functions.some((fn) => fn.ranges.some((range) => range.count > 0))) files.add(path);
  functions += ran.length;
  if (process.env.DEBUG_HOPS) console.error(path, ran.map((fn) => fn.functionName).join(' '));
}
const sorted = [...files].sort();
console.log(sorted.join('\n'));
console.log(`${sorted.length} files, ${functions} named functions`);

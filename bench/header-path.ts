import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as Ably from 'ably';
import type { Middleware } from 'openapi-fetch';
import { BENCH_EXEC_ARGV, isMain, progress, reportResult } from './lib/child';
import { compareInterleaved, slowdown, type Candidate, type CandidateTiming } from './lib/compare';
import { canMeasureHeap, heapBytesPerCall, type HeapPerCall } from './lib/heap';
import { optionalExport } from './lib/optional';
import { formatBytes, formatNs, formatRatio, round } from './lib/stats';
import { notMeasured, type BenchResult, type Row } from './lib/types';

/**
 * The warm header path: what authenticating one request costs once a token is cached.
 * tokensmith: the middleware's `onRequest` (security-map lookup, cached `Bearer …` value, header
 * set on the Request). Official SDK: `auth.getAuthHeaders()` with a token, which is how its REST
 * client gets the header for each request. Floor: setting that same header on the Request.
 *
 * Two parts, each in a fresh process so one part's call shapes cannot make the other's call sites
 * polymorphic: `real` (onRequest on a real undici Request, the SDK, the bare header set) and
 * `logic` (onRequest on a Request-shaped object whose `headers.set` only stores the value, which
 * isolates the middleware's own work, beside the SDK).
 */

const TOKEN = 'bench-token.0123456789abcdefghijklmnopqrstuvwxyz';
const EXPIRES = Date.now() + 24 * 60 * 60_000;
const SCHEMA_PATH = '/channels/{channelId}/messages';
const EXPECTED = `Bearer ${Buffer.from(TOKEN).toString('base64')}`;

type Part = 'real' | 'logic' | 'listener';
interface PartResult {
  timings: CandidateTiming[];
  heap: Record<string, HeapPerCall>;
}
type AblyAuthClass = new (options: Record<string, unknown>) => { middleware: Middleware };

function onRequestCall(middleware: Middleware, request: object): () => unknown {
  const onRequest = middleware.onRequest!;
  const context = { request, schemaPath: SCHEMA_PATH, params: {}, options: {}, id: 'bench' } as unknown as Parameters<typeof onRequest>[0];
  return () => onRequest(context);
}

/** Builds one part's candidates, checks each sets the expected header, times them, then heap. */
async function measurePart(part: Part): Promise<PartResult> {
  const AblyAuth = await optionalExport<AblyAuthClass>('../src/index-node.ts', 'AblyAuth', import.meta.url);
  if (!AblyAuth.ok) throw new Error(AblyAuth.why);
  const auth = new AblyAuth.value({ tokenDetails: { token: TOKEN, expires: EXPIRES } });
  const sdk = new Ably.Rest({ tokenDetails: { token: TOKEN, expires: EXPIRES } as Ably.TokenDetails, logLevel: 0 } as Ably.ClientOptions);
  const sdkAuth = sdk.auth as unknown as { getAuthHeaders(): Promise<Record<string, string>> };
  const sdkCall = (): Promise<Record<string, string>> => sdkAuth.getAuthHeaders();
  if ((await sdkCall()).authorization !== EXPECTED) throw new Error('SDK getAuthHeaders gave another header');

  const candidates: Candidate[] = [{ name: 'sdk', fn: sdkCall }];
  if (part === 'real') {
    // One Request reused for every call: the bench times authenticating a request, not building one.
    const request = new Request('http://127.0.0.1:1/channels/bench/messages');
    const ours = onRequestCall(auth.middleware, request);
    await ours();
    if (request.headers.get('authorization') !== EXPECTED) throw new Error('middleware did not set the Bearer header');
    const floor = (): void => request.headers.set('Authorization', EXPECTED);
    const sdkAndSet = async (): Promise<void> => request.headers.set('Authorization', (await sdkCall()).authorization!);
    candidates.push({ name: 'ours', fn: ours }, { name: 'floor', fn: floor }, { name: 'sdkAndSet', fn: sdkAndSet });
  } else {
    const stub = { method: 'GET', body: null, url: 'http://127.0.0.1:1/channels/bench/messages', headers: { value: '', set(_name: string, value: string) { this.value = value; } } };
    // `listener`: the same auth with a token-event listener attached (it counts the 'cached'
    // events), in its own process so the no-listener run never sees a listener's call shapes.
    let heard = 0;
    const listened = part === 'listener' ? new AblyAuth.value({ tokenDetails: { token: TOKEN, expires: EXPIRES }, onTokenEvent: () => void heard++ }) : auth;
    const logicOnly = onRequestCall(listened.middleware, stub);
    await logicOnly();
    if (stub.headers.value !== EXPECTED) throw new Error('middleware did not set the Bearer header on the stub');
    if (part === 'listener' && heard === 0) throw new Error('the listener heard no cached event');
    candidates.push({ name: 'logicOnly', fn: logicOnly });
  }
  // Heap first, each candidate warmed up on its own loop, before timing mixes the call sites.
  const heap: Record<string, HeapPerCall> = {};
  if (canMeasureHeap()) for (const { name, fn } of candidates) heap[name] = await heapBytesPerCall(fn);
  const timings = await compareInterleaved(candidates, { rounds: 7, minCpuTimeMs: 100 });
  return { timings, heap };
}

/** SDK/middleware-alone of the last full run (bench/results.json), from before telemetry; undefined when absent. */
function previousSdkOverLogicOnly(): number | undefined {
  try {
    const saved = JSON.parse(readFileSync(fileURLToPath(new URL('./results.json', import.meta.url)), 'utf8')) as { results?: { bench: string; figures?: { sdkOverLogicOnly?: unknown } }[] };
    const value = saved.results?.find((result) => result.bench === 'header-path')?.figures?.sdkOverLogicOnly;
    return typeof value === 'number' ? value : undefined;
  } catch {
    return undefined;
  }
}

/** Runs a part in a fresh process (`BENCH_HEADER_PART`), which prints its result as JSON. */
function runPart(part: Part): PartResult {
  const file = fileURLToPath(import.meta.url);
  const child = spawnSync(process.execPath, [...BENCH_EXEC_ARGV, file], { env: { ...process.env, BENCH_HEADER_PART: part }, encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
  const last = child.stdout.trim().split('\n').at(-1) ?? '';
  if (child.status !== 0 || !last.startsWith('{')) throw new Error(`header-path part ${part} failed: ${child.stderr.slice(0, 300)}`);
  return JSON.parse(last) as PartResult;
}

export async function run(): Promise<BenchResult> {
  const AblyAuth = await optionalExport<AblyAuthClass>('../src/index-node.ts', 'AblyAuth', import.meta.url);
  if (!AblyAuth.ok) return { bench: 'header-path', rows: [notMeasured('warm header path', AblyAuth.why, '>= 6x cheaper')], figures: {}, notes: [] };
  progress('header-path: onRequest on a real Request vs getAuthHeaders vs a bare header set');
  const real = runPart('real');
  progress('header-path: onRequest with the header set stubbed vs getAuthHeaders');
  const logic = runPart('logic');
  progress('header-path: the same with a token-event listener attached');
  const listener = runPart('listener');
  const c = (part: PartResult, name: string): CandidateTiming => part.timings.find((timing) => timing.name === name)!;
  const [ours, sdk, floor, sdkAndSet] = [c(real, 'ours').nsPerOp, c(real, 'sdk').nsPerOp, c(real, 'floor').nsPerOp, c(real, 'sdkAndSet').nsPerOp];
  const [logicOnly, sdkBesideLogic, withListener] = [c(logic, 'logicOnly').nsPerOp, c(logic, 'sdk').nsPerOp, c(listener, 'logicOnly').nsPerOp];
  // Each run against the SDK timed beside it, so runs in other processes (or the last full run) compare.
  const listenerCheaper = slowdown(c(listener, 'sdk'), c(listener, 'logicOnly'));
  const before = previousSdkOverLogicOnly();
  // Ratios within each round, then the median: what a load spike does to one round stays there.
  const cheaper = slowdown(c(real, 'sdk'), c(real, 'ours'));
  const logicCheaper = slowdown(c(logic, 'sdk'), c(logic, 'logicOnly'));
  const requestCheaper = slowdown(c(real, 'sdkAndSet'), c(real, 'ours'));

  const rows: Row[] = [
    {
      measure: 'warm header path, time/request',
      ours: formatNs(ours),
      versus: `SDK getAuthHeaders ${formatNs(sdk)}`,
      ratio: `SDK/ours ${formatRatio(cheaper)}`,
      status: 'info',
      note: `ours includes undici's headers.set (${formatNs(floor)} alone); the SDK's figure sets no header`,
    },
    {
      measure: 'middleware alone (header set stubbed)',
      ours: formatNs(logicOnly),
      versus: `SDK getAuthHeaders ${formatNs(sdkBesideLogic)}`,
      ratio: `SDK/ours ${formatRatio(logicCheaper)}`,
      target: '>= 6x',
      status: logicCheaper >= 6 ? 'met' : 'missed',
      note: 'like for like: neither sets a header',
    },
    {
      measure: 'middleware alone: no listener vs a token-event listener',
      ours: `${formatNs(logicOnly)} (SDK/ours ${formatRatio(logicCheaper)})`,
      versus: `listener attached ${formatNs(withListener)} (SDK/ours ${formatRatio(listenerCheaper)})`,
      ratio: `${formatRatio(logicCheaper / listenerCheaper)} as costly${before === undefined ? '' : `; last full run SDK/ours ${formatRatio(before)}`}`,
      status: 'info',
      note: 'no listener: one field check per request; each side timed beside the SDK in its own process',
    },
    { measure: 'header on a Request, both sides', ours: formatNs(ours), versus: `SDK + headers.set ${formatNs(sdkAndSet)}`, ratio: `SDK/ours ${formatRatio(requestCheaper)}`, status: 'info', note: `headers.set alone ${formatNs(floor)}` },
  ];
  const heapOurs = real.heap.ours;
  const heapLogic = logic.heap.logicOnly;
  if (heapOurs && heapLogic && real.heap.floor && real.heap.sdk) {
    // undici's headers.set allocates tens of bytes itself, so "beyond the header set" is read off
    // the stubbed run: what the middleware allocates when setting the header costs nothing.
    const extra = heapLogic.bytesPerCall;
    const gcs = heapOurs.gcDuringRun + heapLogic.gcDuringRun;
    const clean = extra < 8 && gcs === 0; // under one word per call is noise, not an allocation
    rows.push({
      measure: 'warm header path, heap/request',
      ours: formatBytes(heapOurs.bytesPerCall),
      versus: `header set alone ${formatBytes(real.heap.floor.bytesPerCall)}; SDK ${formatBytes(real.heap.sdk.bytesPerCall)}`,
      ratio: `middleware alone ${formatBytes(Math.max(0, extra))}`,
      target: '0 B beyond the header set',
      status: clean ? 'met' : 'missed',
      ...(clean ? {} : { note: `${formatBytes(extra)}/request besides the header set${extra >= 8 && extra < 24 ? ': one boxed Date.now() (16 B) read by TokenManager.peek()' : ''}${gcs > 0 ? `; ${gcs} GC during the run` : ''}` }),
    });
  } else {
    rows.push(notMeasured('warm header path, heap/request', 'run with node --expose-gc (npm run bench does)'));
  }
  const part = (p: PartResult) => ({
    timings: Object.fromEntries(p.timings.map((c) => [c.name, { nsPerOp: round(c.nsPerOp), roundsNs: c.roundsNs.map((v) => round(v)) }])),
    heapBytesPerCall: Object.fromEntries(Object.entries(p.heap).map(([k, v]) => [k, { ...v, bytesPerCall: round(v.bytesPerCall) }])),
  });
  return {
    bench: 'header-path',
    rows,
    figures: { real: part(real), logic: part(logic), listener: part(listener), sdkOverListener: round(listenerCheaper), sdkOverOurs: round(cheaper), sdkOverLogicOnly: round(logicCheaper), sdkAndSetOverOurs: round(requestCheaper) },
    notes: [
      'header-path: tokensmith = AblyAuth({ tokenDetails }).middleware.onRequest for GET /channels/{channelId}/messages on one reused Request; ' +
        'SDK = new Ably.Rest({ tokenDetails }).auth.getAuthHeaders() (public in ably 2.x; returns the header object, sets nothing); floor = request.headers.set(Authorization, value); ' +
        '"middleware alone" = the same onRequest on a Request-shaped object whose headers.set only stores the value, timed beside the SDK in a separate process. ' +
        'Heap: after 50k warm-up calls, gc(), heapUsed, 20k calls from a loop compiled for that candidate, heapUsed; no GC in between.',
    ],
  };
}

if (process.env.BENCH_HEADER_PART === 'real' || process.env.BENCH_HEADER_PART === 'logic' || process.env.BENCH_HEADER_PART === 'listener') {
  console.log(JSON.stringify(await measurePart(process.env.BENCH_HEADER_PART)));
  process.exit(0);
} else if (isMain(import.meta.url)) {
  await reportResult(run);
}

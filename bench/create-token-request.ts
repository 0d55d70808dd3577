import { createHmac } from 'node:crypto';
import * as Ably from 'ably';
import { canonicalCapability } from '../src/ably/capability';
import { nodeSigner, type NodeHmacSha256Key } from '../src/ably/crypto/node';
import { tokenRequestSigningText } from '../src/ably/token-request-signing';
import { isMain, progress, reportResult } from './lib/child';
import { compareInterleaved, slowdown, type Candidate } from './lib/compare';
import { createFloor, floorAvailable } from './lib/floor';
import { optionalExport } from './lib/optional';
import { formatCount, formatRatio, round } from './lib/stats';
import { notMeasured, type BenchResult, type Row } from './lib/types';

/**
 * createTokenRequest ops/s: tokensmith vs the official `ably` SDK vs the floor, side by side in
 * one process, rounds interleaved. Every candidate signs the same parameters with the same key,
 * and each one's output is checked against `createHmac` before it is timed.
 */

const KEY_NAME = 'bench.app';
const SECRET = 'bench-secret-0123456789abcdefghijklmnopqrstuv';
const TTL = 3_600_000;
const CLIENT_ID = 'bench-client';
// Already canonical (sorted resources and operations) so the floor's one JSON.stringify is valid.
// Not frozen: the official SDK sorts the operation arrays in place (a no-op here).
const CAPABILITY: Record<string, string[]> = { 'chat:*': ['publish', 'subscribe'], status: ['subscribe'] };

interface SignedFields {
  keyName: string;
  ttl?: number | string;
  capability?: string;
  clientId?: string;
  timestamp?: number;
  nonce?: string;
  mac?: string;
}

type AblyAuthLike = { createTokenRequest(params?: Record<string, unknown>): Promise<SignedFields> };
type AblyAuthClass = new (options: { key: string }) => AblyAuthLike;

function assertSigned(name: string, request: SignedFields): void {
  const expected = createHmac('sha256', SECRET).update(tokenRequestSigningText(request as never), 'utf8').digest('base64');
  if (request.mac !== expected) throw new Error(`${name}: MAC differs from createHmac over its own signing text`);
  if (request.capability !== canonicalCapability(CAPABILITY)) throw new Error(`${name}: capability not canonical`);
  if (request.clientId !== CLIENT_ID || Number(request.ttl) !== TTL) throw new Error(`${name}: parameters not carried`);
  if (!request.nonce || request.nonce.length < 16) throw new Error(`${name}: nonce shorter than 16 characters`);
}

// Fresh params each call for the official SDK: it writes the canonical capability back into them.
const params = (): Record<string, unknown> => ({ ttl: TTL, capability: { ...CAPABILITY }, clientId: CLIENT_ID });
// tokensmith never writes to its arguments, so it gets one frozen object, like the floor's constants
// (a write would throw in these strict-mode modules).
const FROZEN_PARAMS: Readonly<Record<string, unknown>> = Object.freeze({ ttl: TTL, capability: Object.freeze(Object.fromEntries(Object.entries(CAPABILITY).map(([k, v]) => [k, Object.freeze([...v])]))), clientId: CLIENT_ID });

export async function run(): Promise<BenchResult> {
  const notes: string[] = [];
  const candidates: Candidate[] = [];

  const sdk = new Ably.Rest({ key: `${KEY_NAME}:${SECRET}`, logLevel: 0 } as Ably.ClientOptions);
  const sdkCall = (): Promise<SignedFields> => sdk.auth.createTokenRequest(params() as Ably.TokenParams) as Promise<SignedFields>;
  assertSigned('ably SDK', await sdkCall());
  candidates.push({ name: 'sdk', fn: sdkCall });

  if (floorAvailable) {
    const floor = createFloor(KEY_NAME, SECRET);
    assertSigned('floor', floor(TTL, CAPABILITY, CLIENT_ID));
    candidates.push({ name: 'floor', fn: () => floor(TTL, CAPABILITY, CLIENT_ID) });
  }

  // The signing primitives alone, composed the way AblyAuth composes them: shows what the class
  // around them costs.
  const hmacKey = nodeSigner.importHmacKey(SECRET) as NodeHmacSha256Key;
  const parts = async (): Promise<SignedFields> => {
    const request: SignedFields = { keyName: KEY_NAME, ttl: TTL, capability: canonicalCapability(CAPABILITY), clientId: CLIENT_ID, timestamp: Date.now(), nonce: nodeSigner.nonce() };
    request.mac = hmacKey.signSync(tokenRequestSigningText(request as never));
    return request;
  };
  assertSigned('signer parts', await parts());
  candidates.push({ name: 'parts', fn: parts });

  const AblyAuth = await optionalExport<AblyAuthClass>('../src/index-node.ts', 'AblyAuth', import.meta.url);
  if (AblyAuth.ok) {
    const auth = new AblyAuth.value({ key: `${KEY_NAME}:${SECRET}` });
    const ours = (): Promise<SignedFields> => auth.createTokenRequest(FROZEN_PARAMS);
    assertSigned('tokensmith', await ours());
    candidates.push({ name: 'ours', fn: ours });
  }

  // The default (browser, Deno, workers) entry signs with Web Crypto: shown for information.
  const WebAblyAuth = await optionalExport<AblyAuthClass>('../src/index.ts', 'AblyAuth', import.meta.url);
  if (WebAblyAuth.ok && WebAblyAuth.value !== (AblyAuth.ok ? AblyAuth.value : undefined)) {
    const webAuth = new WebAblyAuth.value({ key: `${KEY_NAME}:${SECRET}` });
    const web = (): Promise<SignedFields> => webAuth.createTokenRequest(FROZEN_PARAMS);
    assertSigned('tokensmith (Web Crypto)', await web());
    candidates.push({ name: 'web', fn: web });
  }

  progress(`createTokenRequest: timing ${candidates.map((c) => c.name).join(', ')} in interleaved rounds`);
  const timings = await compareInterleaved(candidates, { rounds: 9, minCpuTimeMs: 150 });
  const by = Object.fromEntries(timings.map((t) => [t.name, t]));
  const figures: Record<string, unknown> = Object.fromEntries(
    timings.map((t) => [t.name, { opsPerSec: round(t.opsPerSec), nsPerOp: round(t.nsPerOp), roundsNs: t.roundsNs.map((v) => round(v)) }]),
  );

  const rows: Row[] = [];
  const sdkOps = by.sdk!.opsPerSec;
  const floorOps = by.floor?.opsPerSec;
  if (by.ours) {
    const vsSdk = slowdown(by.sdk!, by.ours);
    if (floorOps) {
      const vsFloor = slowdown(by.ours, by.floor!);
      rows.push({ measure: 'createTokenRequest (node entry) vs floor', ours: formatCount(by.ours.opsPerSec), versus: `floor ${formatCount(floorOps)}`, ratio: `${formatRatio(vsFloor)} slower`, target: '<= 1.2x', status: vsFloor <= 1.2 ? 'met' : 'missed', note: `rounds: ${by.ours.roundsNs.map((ns, i) => (ns / by.floor!.roundsNs[i]!).toFixed(2)).join(', ')}` });
    }
    rows.push({ measure: 'createTokenRequest ops/s vs the SDK', ours: formatCount(by.ours.opsPerSec), versus: `ably SDK ${formatCount(sdkOps)}`, ratio: formatRatio(vsSdk), status: 'info' });
    figures.oursVsSdk = round(vsSdk);
    if (floorOps) figures.floorVsOurs = round(slowdown(by.ours, by.floor!));
  } else {
    rows.push(notMeasured('createTokenRequest (node entry) vs floor', AblyAuth.ok ? 'unknown' : AblyAuth.why, '<= 1.2x'));
  }
  if (floorOps) rows.push({ measure: 'floor ops/s', ours: formatCount(floorOps), versus: `ably SDK ${formatCount(sdkOps)}`, ratio: formatRatio(slowdown(by.sdk!, by.floor!)), status: 'info', note: 'the floor vs the SDK: the most any implementation could gain' });
  rows.push({ measure: 'signer parts (no class) ops/s', ours: formatCount(by.parts!.opsPerSec), versus: `ably SDK ${formatCount(sdkOps)}`, ratio: formatRatio(slowdown(by.sdk!, by.parts!)), status: 'info' });
  if (by.web) rows.push({ measure: 'createTokenRequest, Web Crypto entry', ours: formatCount(by.web.opsPerSec), versus: `ably SDK ${formatCount(sdkOps)}`, ratio: formatRatio(slowdown(by.sdk!, by.web)), status: 'info', note: 'the default entry (browsers, Deno, workers): crypto.subtle' });
  if (!floorOps) notes.push('floor not measured: this Node has no crypto.hash');

  notes.push(
    'createTokenRequest: same key, ttl, canonical 2-resource capability and clientId for every candidate; each output checked against createHmac first; ' +
      '9 rounds rotating the order, each candidate timed by the process CPU time (user + system) over batches of calls in a loop compiled for it; ops/s = calls per CPU-second, median over rounds; ratios = median of per-round ratios. Floor = pooled nonce + one JSON.stringify + HMAC as two one-shot crypto.hash over precomputed pads, synchronous.',
  );
  return { bench: 'create-token-request', rows, figures, notes };
}

if (isMain(import.meta.url)) await reportResult(run);

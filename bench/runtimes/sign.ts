/**
 * The createTokenRequest loop each runtime runs (Node, Bun, Deno), Web APIs only. The library
 * entries are passed in by a generated entry file, so this file is bundled without them.
 */
import type * as Tokensmith from '../../src/index';

type AblyAuthClass = typeof Tokensmith.AblyAuth;

export interface SignCandidate {
  name: string;
  AblyAuth: AblyAuthClass;
}

export interface SignReport {
  runtime: string;
  /** Per candidate: ops/s of each round, in run order. */
  rounds: Record<string, number[]>;
}

const KEY = 'bench.app:bench-secret-0123456789abcdefghijklmnopqrstuv';
// The same parameters as bench/create-token-request.ts.
const params = () => ({ ttl: 3_600_000, capability: { 'chat:*': ['publish', 'subscribe'], status: ['subscribe'] }, clientId: 'bench-client' });

async function opsPerSecond(auth: InstanceType<AblyAuthClass>, minMs: number): Promise<number> {
  let calls = 0;
  const started = performance.now();
  let elapsed = 0;
  while (elapsed < minMs) {
    // Batches of 100 so reading the clock costs nothing measurable.
    for (let i = 0; i < 100; i++) await auth.createTokenRequest(params());
    calls += 100;
    elapsed = performance.now() - started;
  }
  return (calls / elapsed) * 1000;
}

/** Warms every candidate up, then times them in `rounds` rounds, the order rotating each round. */
export async function measureSigning(runtime: string, candidates: readonly SignCandidate[], rounds: number, minMs: number): Promise<SignReport> {
  const auths = candidates.map((c) => ({ name: c.name, auth: new c.AblyAuth({ key: KEY }) }));
  for (const { auth } of auths) await opsPerSecond(auth, minMs);
  const result: Record<string, number[]> = Object.fromEntries(candidates.map((c) => [c.name, []]));
  for (let round = 0; round < rounds; round++) {
    for (let i = 0; i < auths.length; i++) {
      const { name, auth } = auths[(i + round) % auths.length]!;
      result[name]!.push(await opsPerSecond(auth, minMs));
    }
  }
  return { runtime, rounds: result };
}

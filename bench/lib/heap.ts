import { PerformanceObserver } from 'node:perf_hooks';

/** What {@link heapBytesPerCall} found. */
export interface HeapPerCall {
  /** Heap growth divided by calls, bytes (can be slightly negative from noise). */
  bytesPerCall: number;
  calls: number;
  /** Garbage collections seen during the calls; the figure is only exact when this is 0. */
  gcDuringRun: number;
}

const gc = (globalThis as { gc?: () => void }).gc;

/** True when the process runs with `--expose-gc` (the bench children do). */
export function canMeasureHeap(): boolean {
  return typeof gc === 'function';
}

/**
 * Heap bytes allocated per call of `fn`: a full GC, `heapUsed`, `calls` calls, `heapUsed` again.
 * Survivors and garbage both count, which is the point: garbage made per request is what the
 * warm path must not make. The young generation is large enough for the default call count at a
 * few hundred bytes per call; if a GC runs anyway the count is halved and the run repeated.
 * Async `fn` are awaited one call at a time (the awaits' own promises count too).
 */
export async function heapBytesPerCall(fn: () => unknown, calls = 20_000, warmUpCalls = 50_000): Promise<HeapPerCall> {
  if (!gc) throw new Error('heapBytesPerCall needs node --expose-gc');
  // A loop compiled for this fn alone: a shared loop's call site would turn polymorphic across
  // candidates and box or allocate where a real caller would not.
  const isAsync = fn() instanceof Promise;
  const loop = (isAsync ? newAsyncLoop() : newSyncLoop()) as (fn: () => unknown, n: number) => unknown;
  await loop(fn, warmUpCalls); // warm: compile, optimise (TurboFan), fill caches
  for (let attempt = 0; ; attempt++) {
    let gcs = 0;
    const observer = new PerformanceObserver((list) => {
      gcs += list.getEntries().length;
    });
    gc();
    gc();
    observer.observe({ entryTypes: ['gc'] });
    const before = process.memoryUsage().heapUsed;
    await loop(fn, calls);
    const after = process.memoryUsage().heapUsed;
    // Observer callbacks are delivered asynchronously: give them a turn before reading.
    await new Promise((resolve) => setImmediate(resolve));
    observer.disconnect();
    if (gcs === 0 || attempt === 3 || calls <= 1_000) {
      return { bytesPerCall: (after - before) / calls, calls, gcDuringRun: gcs };
    }
    calls = Math.floor(calls / 2);
  }
}

function newSyncLoop(): Function {
  return new Function('fn', 'n', 'for (let i = 0; i < n; i++) fn();');
}

function newAsyncLoop(): Function {
  return new Function('fn', 'n', 'return (async () => { for (let i = 0; i < n; i++) await fn(); })();');
}

import type { FetchContext } from '../../src/core/token-manager';

/** A fetchToken whose calls stay pending until the test settles them. */
export interface PendingFetch<T> {
  signal: AbortSignal;
  context: FetchContext;
  resolve(value: T): void;
  reject(error: unknown): void;
}

export function controlledFetch<T>() {
  const calls: PendingFetch<T>[] = [];
  const fetchToken = jest.fn(
    (signal: AbortSignal, context: FetchContext) =>
      new Promise<T>((resolve, reject) => calls.push({ signal, context, resolve, reject })),
  );
  return { fetchToken, calls };
}

/** Lets pending promise chains run without moving fake time. */
export async function settle(): Promise<void> {
  await jest.advanceTimersByTimeAsync(0);
}

export const START = 1_700_000_000_000;

export function useFakeClock(): void {
  jest.useFakeTimers({ now: START, doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] });
}

/** Waits for Node to report unhandled rejections of the current turn. */
export function nextMacrotask(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

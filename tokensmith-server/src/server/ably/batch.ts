import { TokensmithError } from 'tokensmith';
import { ablyErrorBody } from '../lib/ably-errors';
import { publish, type IncomingMessage, type PublishResponse } from './messages';
import { requirePresenceRead, type PresenceMessage } from './presence';
import type { Principal } from './principal';
import type { AblyServerState } from './state';

/** One spec of a batch publish: messages for several channels (BSP). */
export interface BatchPublishSpec {
  channels: string[];
  messages: IncomingMessage | IncomingMessage[];
}

type ErrorInfo = ReturnType<typeof ablyErrorBody>['error'];

/** A batch result (BAR2): counts and one result per channel, each a success or an error. */
export interface BatchResult<T> {
  successCount: number;
  failureCount: number;
  results: Array<T | { channel: string; error: ErrorInfo }>;
}

/**
 * `POST /messages`: publishes each spec's messages to each of its channels, as separate publishes,
 * and answers one batch result per spec. A channel the credentials may not publish to, or a
 * message refused there, fails that channel alone; the rest are published.
 */
export function batchPublish(state: AblyServerState, principal: Principal, specs: readonly BatchPublishSpec[]): Array<BatchResult<PublishResponse>> {
  return specs.map((spec) => collect(spec.channels, (channel) => publish(state, principal, channel, spec.messages)));
}

/**
 * `GET /presence?channels=a,b`: the members present on each channel (BGR), a channel without
 * `presence` or `subscribe` failing alone.
 */
export function batchPresence(state: AblyServerState, principal: Principal, channels: readonly string[]): BatchResult<{ channel: string; presence: PresenceMessage[] }> {
  return collect(channels, (channel) => {
    requirePresenceRead(principal, channel);
    return { channel, presence: state.presence.present(channel, { limit: 1000, direction: 'forwards' }, {}).items };
  });
}

function collect<T>(channels: readonly string[], run: (channel: string) => T): BatchResult<T> {
  const result: BatchResult<T> = { successCount: 0, failureCount: 0, results: [] };
  for (const channel of channels) {
    try {
      result.results.push(run(channel));
      result.successCount += 1;
    } catch (error) {
      if (!(error instanceof TokensmithError)) throw error;
      result.results.push({ channel, error: ablyErrorBody(error).error });
      result.failureCount += 1;
    }
  }
  return result;
}

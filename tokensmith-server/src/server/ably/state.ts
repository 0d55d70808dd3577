import type { ServerClock } from '../clock';
import type { ResolvedServerConfig } from '../config';
import { GrantCache } from './capability-grants';
import { KeyRing } from './keys';
import { MessageLog } from './message-log';
import { NonceStore } from './nonce-store';
import { TokenRegistry } from './token-registry';

/** The Ably side's configuration after resolution. */
export type AblySideConfig = ResolvedServerConfig['ably'];

/** Everything the Ably side keeps in memory, shared by its routes and the test controls. */
export class AblyServerState {
  /** Configured keys and their revocation marks. */
  readonly keys: KeyRing;
  /** Nonces of accepted TokenRequests. */
  readonly nonces: NonceStore;
  /** Issued tokens and test-control marks. */
  readonly tokens: TokenRegistry;
  /** Channel message logs. */
  readonly messages: MessageLog;
  /** The capability each requested capability text grants, per key. */
  readonly grants = new GrantCache();

  constructor(
    readonly config: AblySideConfig,
    readonly clock: ServerClock,
  ) {
    this.keys = new KeyRing(config.keys);
    this.nonces = new NonceStore(config.maxNonces, config.timestampWindowMs);
    this.tokens = new TokenRegistry(config.maxTokens);
    this.messages = new MessageLog(config.maxChannels, config.maxMessagesPerChannel);
  }

  /** Forgets tokens, nonces, messages and revocations. */
  reset(): void {
    this.keys.reset();
    this.nonces.clear();
    this.tokens.clear();
    this.messages.clear();
  }
}

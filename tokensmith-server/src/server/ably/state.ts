import type { ServerClock } from '../clock';
import type { ResolvedServerConfig } from '../config';
import { GrantCache } from './capability-grants';
import { IdempotencyStore } from './idempotency';
import { KeyRing } from './keys';
import { MessageLog } from './message-log';
import type { StoredAnnotation } from './mutable-messages';
import { NonceStore } from './nonce-store';
import { PresenceStore } from './presence';
import { RevocationList } from './revocations';
import { StatsLog } from './stats';
import { TokenRegistry } from './token-registry';

/** The Ably side's configuration after resolution. */
export type AblySideConfig = ResolvedServerConfig['ably'];

const MAX_REVOCATION_RULES = 10_000;

/**
 * Everything one Ably app keeps in memory, shared by its routes and the test controls: the
 * configured keys form one app, and every app `POST /apps` provisions gets its own.
 */
export class AblyServerState {
  /** Configured keys and their revocation marks. */
  readonly keys: KeyRing;
  /** Nonces of accepted TokenRequests. */
  readonly nonces: NonceStore;
  /** Issued tokens and test-control marks. */
  readonly tokens: TokenRegistry;
  /** Channel message logs. */
  readonly messages: MessageLog;
  /** Annotations, one log per annotated message. */
  readonly annotations: MessageLog<StoredAnnotation>;
  /** Message ids published recently, for idempotent publishing. */
  readonly idempotency: IdempotencyStore;
  /** Members seeded by `POST /apps` presence fixtures, and their history. */
  readonly presence: PresenceStore;
  /** Revocations `revokeTokens` put in force. */
  readonly revocations: RevocationList;
  /** What `GET /stats` answers from. */
  readonly stats: StatsLog;
  /** The capability each requested capability text grants, per key. */
  readonly grants = new GrantCache();

  constructor(
    readonly config: AblySideConfig,
    readonly clock: ServerClock,
    readonly appId = config.keys[0]?.keyName.split('.')[0] ?? 'local',
  ) {
    this.keys = new KeyRing(config.keys);
    this.nonces = new NonceStore(config.maxNonces, config.timestampWindowMs, config.maxNonceStoreBytes);
    this.tokens = new TokenRegistry(config.maxTokens, config.maxTokenStoreBytes);
    this.messages = new MessageLog(config.maxChannels, config.maxMessagesPerChannel, config.maxMessageStoreBytes);
    this.annotations = new MessageLog<StoredAnnotation>(config.maxChannels, config.maxMessagesPerChannel, config.maxMessageStoreBytes);
    this.presence = new PresenceStore(config.maxChannels, config.maxMessagesPerChannel, config.maxMessageStoreBytes);
    this.idempotency = new IdempotencyStore(config.maxIdempotencyStoreBytes);
    this.revocations = new RevocationList(MAX_REVOCATION_RULES, config.maxTtlMs);
    this.stats = new StatsLog(appId);
  }

  /** Forgets tokens, nonces, messages, revocations and counts. */
  reset(): void {
    this.keys.reset();
    this.nonces.clear();
    this.tokens.clear();
    this.messages.clear();
    this.idempotency.clear();
    this.presence.clear();
    this.annotations.clear();
    this.revocations.clear();
    this.stats.clear();
  }
}

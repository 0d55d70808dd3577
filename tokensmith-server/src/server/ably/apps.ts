import { randomBytes } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { decodeProtectedHeader } from 'jose';
import type { ServerClock } from '../clock';
import { basicKeyName, bearerToken } from './authenticate';
import { embeddedToken, looksLikeJwt } from './jwt';
import type { ResolvedAblyKey } from '../config';
import { AblyServerState, type AblySideConfig } from './state';

/**
 * The Ably apps the server holds: one for the configured keys, plus any `POST /apps` provisioned
 * (test controls on). Each app has its own keys, tokens, nonces, channels, revocations and stats; a
 * request belongs to the app its credentials name (the key name's `appId`, a token's `appId.`
 * prefix, a JWT's `kid`), else to the configured app.
 */
export class AblyApps {
  /** The app of the configured keys. */
  readonly main: AblyServerState;
  private readonly provisioned = new Map<string, AblyServerState>();
  /** Changes whenever an app is added or removed (the set of secrets to scrub changes with it). */
  version = 0;

  constructor(
    private readonly config: AblySideConfig,
    private readonly clock: ServerClock,
  ) {
    this.main = new AblyServerState(config, clock);
  }

  /** Number of provisioned apps. */
  get size(): number {
    return this.provisioned.size;
  }

  /** The configured app, then every provisioned one. */
  all(): AblyServerState[] {
    return [this.main, ...this.provisioned.values()];
  }

  /** The app with this id; the configured app for any other. */
  forAppId(appId: string): AblyServerState {
    return this.provisioned.get(appId) ?? this.main;
  }

  /** The app a key name (`appId.keyId`) belongs to. */
  forKeyName(keyName: string): AblyServerState {
    if (this.provisioned.size === 0) return this.main;
    return this.forAppId(keyName.slice(0, Math.max(keyName.indexOf('.'), 0)));
  }

  /** The app a request's credentials (or the key name in its path) belong to. */
  forRequest(request: FastifyRequest): AblyServerState {
    if (this.provisioned.size === 0) return this.main;
    const pathKeyName = (request.params as { keyName?: unknown } | undefined)?.keyName;
    if (typeof pathKeyName === 'string') return this.forKeyName(pathKeyName);
    const header = request.headers.authorization;
    const keyName = basicKeyName(header);
    if (keyName !== undefined) return this.forKeyName(keyName);
    if (header === undefined || !/^bearer /i.test(header)) return this.main;
    const outer = bearerToken(header.slice(7).trim());
    const token = (looksLikeJwt(outer) ? embeddedToken(outer) : undefined) ?? outer;
    if (looksLikeJwt(token)) {
      try {
        const { kid } = decodeProtectedHeader(token);
        return typeof kid === 'string' ? this.forKeyName(kid) : this.main;
      } catch {
        return this.main;
      }
    }
    return this.forAppId(token.slice(0, Math.max(token.indexOf('.'), 0)));
  }

  /**
   * Creates an app with `keys` (each `{ capability, revocableTokens }`) and the configured limits.
   * Ids and secrets are random. Undefined when `maxApps` apps already exist.
   */
  provision(keys: ReadonlyArray<Pick<ResolvedAblyKey, 'capability' | 'revocableTokens'>>): AblyServerState | undefined {
    if (this.provisioned.size >= this.config.maxApps) return undefined;
    const appId = `app${randomBytes(6).toString('hex')}`;
    const resolved = keys.map((key, index): ResolvedAblyKey => ({
      keyName: `${appId}.key${index}${randomBytes(3).toString('hex')}`,
      secret: randomBytes(24).toString('base64url'),
      capability: key.capability,
      revocableTokens: key.revocableTokens,
    }));
    const state = new AblyServerState({ ...this.config, keys: resolved }, this.clock, appId);
    this.provisioned.set(appId, state);
    this.version += 1;
    return state;
  }

  /** Removes a provisioned app; false when there is none with that id. */
  remove(appId: string): boolean {
    const removed = this.provisioned.delete(appId);
    if (removed) this.version += 1;
    return removed;
  }

  /** Every secret of every app, for scrubbing. */
  secrets(): string[] {
    return [...this.provisioned.values()].flatMap((state) => state.keys.secrets());
  }

  /** Resets the configured app and drops every provisioned one. */
  reset(): void {
    this.main.reset();
    if (this.provisioned.size > 0) this.version += 1;
    this.provisioned.clear();
  }
}

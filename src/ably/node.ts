/**
 * Ably token auth bound to the node:crypto signer, for the `node` export condition: the same API
 * as `./index`, with faster HMAC and nonces.
 */
import { AblyAuth as WebAblyAuth } from './auth';
import { bindCreateAblyClient, type AblyClient, type AblyClientOptions } from './client';
import { nodeSigner } from './crypto/node';
import type { Signer } from './crypto/signer';

export * from './index';

/** {@link WebAblyAuth | AblyAuth} signing with node:crypto (precomputed HMAC pads, pooled nonces). */
export class AblyAuth extends WebAblyAuth {
  protected static override signer: Signer = nodeSigner;
}

/** `createAblyClient` whose auth signs with node:crypto. */
export const createAblyClient: (options: AblyClientOptions) => AblyClient = /* @__PURE__ */ bindCreateAblyClient(AblyAuth);

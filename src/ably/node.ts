/**
 * Ably token auth bound to the node:crypto signer, for the `node` export condition: the same API
 * as `./index`, with faster HMAC and nonces.
 */
import { AblyAuth as WebAblyAuth } from './auth';
import { nodeSigner } from './crypto/node';
import type { Signer } from './crypto/signer';

export * from './index';

/** {@link WebAblyAuth | AblyAuth} signing with node:crypto (precomputed HMAC pads, pooled nonces). */
export class AblyAuth extends WebAblyAuth {
  protected static override signer: Signer = nodeSigner;
}

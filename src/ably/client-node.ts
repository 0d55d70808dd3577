import { bindCreateAblyClient, type AblyClient, type AblyClientOptions } from './client';
import { AblyAuth } from './node';

/** `createAblyClient` whose auth signs with node:crypto (the `node` condition of `tokensmith/client`). */
export const createAblyClient: (options: AblyClientOptions) => AblyClient = /* @__PURE__ */ bindCreateAblyClient(AblyAuth);

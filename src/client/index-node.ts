// The `tokensmith/client` entry under the `node` export condition: the same API as ./index, with
// createAblyClient's auth signing with node:crypto (the AblyAuth of `tokensmith` under `node`).
export * from './index';
export { createAblyClient } from '../ably/client-node';

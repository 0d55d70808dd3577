// The `tokensmith` entry under the `node` export condition: the same API as ./index, with the
// node:crypto signer bound where Web Crypto would be slower.
export * from './index';
// Ably auth bound to the node:crypto signer (same API as the default entry's).
export { AblyAuth } from './ably/node';
export { nodeSigner, type NodeHmacSha256Key, type NodeSigner } from './ably/crypto/node';
// mutualTLS with a client certificate (node:https); the default entry's constructor refuses with 40106.
export { MutualTlsCredential } from './oauth2/mutual-tls-node';

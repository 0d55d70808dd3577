// The `tokensmith` entry under the `node` export condition: the same API as ./index, with the
// node:crypto signer bound where Web Crypto would be slower.
export * from './index';

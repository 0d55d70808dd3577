/**
 * Conditional exports: the default entry is Web-only and binds the Web Crypto signer; the `node`
 * entry binds node:crypto with the same API.
 */
import { build } from 'esbuild';
import * as defaultClient from '../../src/client/index';
import * as nodeClient from '../../src/client/index-node';
import * as defaultEntry from '../../src/index';
import * as nodeEntry from '../../src/index-node';
import { KEY, setupAuth } from './helpers/client';

const signerOf = (Auth: unknown) => (Auth as { signer: { name: string } }).signer.name;

describe('entries', () => {
  it('the default entry bundles for the browser with no Node built-in', async () => {
    const result = await build({
      entryPoints: ['src/index.ts'],
      bundle: true,
      platform: 'browser',
      format: 'esm',
      write: false,
      logLevel: 'silent',
      metafile: true,
    });
    const inputs = Object.keys(result.metafile.inputs);
    expect(inputs.some((path) => path.includes('crypto/node'))).toBe(false);
    expect(inputs).toContain('src/ably/crypto/web.ts');
    // openapi-fetch comes only with `tokensmith/client`.
    expect(inputs.some((path) => path.includes('openapi-fetch'))).toBe(false);
    const imports = Object.values(result.metafile.outputs).flatMap((output) => output.imports.map((i) => i.path));
    expect(imports.filter((path) => path.startsWith('node:') || ['crypto', 'buffer', 'fs', 'http'].includes(path))).toEqual([]);
  });

  it('the default entry binds the web signer, the node entry the node signer', () => {
    expect(signerOf(defaultEntry.AblyAuth)).toBe('web');
    expect(signerOf(nodeEntry.AblyAuth)).toBe('node');
  });

  it("tokensmith/client's createAblyClient uses the AblyAuth of its condition's entry", () => {
    expect(nodeClient.createAblyClient({ key: KEY }).auth).toBeInstanceOf(nodeEntry.AblyAuth);
    expect(defaultClient.createAblyClient({ key: KEY }).auth).toBeInstanceOf(defaultEntry.AblyAuth);
    expect(defaultClient.createAblyClient({ key: KEY }).auth).not.toBeInstanceOf(nodeEntry.AblyAuth);
  });

  it('the node client entry exports the default client entry\'s names', () => {
    expect(Object.keys(nodeClient).sort()).toEqual(Object.keys(defaultClient).sort());
  });

  it('the node entry exports the default entry\'s names plus the node:crypto signer', () => {
    expect(Object.keys(nodeEntry).sort()).toEqual([...Object.keys(defaultEntry), 'nodeSigner'].sort());
  });

  it('both signers make identical TokenRequests for the same inputs', async () => {
    const params = { ttl: 1000, capability: { '*': ['*'] }, clientId: 'x', timestamp: 1_700_000_000_000, nonce: 'n'.repeat(16) };
    const web = await new defaultEntry.AblyAuth({ key: KEY }).createTokenRequest(params);
    const node = await new nodeEntry.AblyAuth({ key: KEY }).createTokenRequest(params);
    expect(node).toEqual(web);
  });
});

describe('warm header path', () => {
  it('serves the same cached header string for every request on one token', async () => {
    const { auth } = setupAuth({ key: KEY, useTokenAuth: true }, () => Response.json({ token: 'warm', issued: Date.now(), expires: Date.now() + 3_600_000 }));
    await auth.authorize();
    const seen: string[] = [];
    const { middleware } = auth;
    for (let i = 0; i < 3; i++) {
      const request = new Request('https://rest.ably.test/channels/x/messages');
      await middleware.onRequest!({ request, schemaPath: '/channels/{channelId}/messages', params: {}, options: {} as never, id: String(i) });
      seen.push(request.headers.get('authorization')!);
    }
    expect(new Set(seen)).toEqual(new Set([`Bearer ${Buffer.from('warm').toString('base64')}`]));
  });
});

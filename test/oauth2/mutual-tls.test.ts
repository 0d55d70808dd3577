import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { createSpecAuth } from '../../src';
import { createApiClient } from '../../src/client';
import { MutualTlsCredential } from '../../src/index-node';
import { MutualTlsCredential as WebMutualTlsCredential } from '../../src/oauth2/mutual-tls';
import type { paths } from './api-paths';

// mutualTLS (OpenAPI 3.1) under Node: a client certificate presented on the TLS connection, to a
// server that requires one signed by its CA. Certificates are made for the run with openssl.

let dir: string;
let server: Server;
let url: string;
const pem: Record<string, string> = {};

function openssl(...args: string[]): void {
  execFileSync('openssl', args, { cwd: dir, stdio: 'ignore' });
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tokensmith-mtls-'));
  openssl('req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '1', '-subj', '/CN=test-ca');
  for (const [name, cn] of [['server', '127.0.0.1'], ['client', 'reports-service']] as const) {
    openssl('req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', `/CN=${cn}`);
    const ext = name === 'server' ? ['-extfile', 'server.ext'] : [];
    if (name === 'server') writeFileSync(join(dir, 'server.ext'), 'subjectAltName=IP:127.0.0.1\n');
    openssl('x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', `${name}.pem`, '-days', '1', ...ext);
  }
  for (const file of ['ca.pem', 'server.pem', 'server.key', 'client.pem', 'client.key']) pem[file] = readFileSync(join(dir, file), 'utf8');
  server = createServer({ cert: pem['server.pem'], key: pem['server.key'], ca: pem['ca.pem'], requestCert: true, rejectUnauthorized: true }, (req, res) => {
    const peer = (req.socket as TLSSocket).getPeerCertificate();
    let body = '';
    req.on('data', (chunk) => void (body += chunk));
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(req.method === 'POST' ? JSON.stringify({ created: JSON.parse(body) }) : JSON.stringify({ things: [peer.subject?.CN === 'reports-service' ? 1 : 0] }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  rmSync(dir, { recursive: true, force: true });
});

const security = (serverUrl: string) =>
  ({
    defaultServerUrl: serverUrl,
    securitySchemes: { clientCert: { type: 'mutualTLS' } },
    operationSecurity: { 'GET /api/things': [{ clientCert: [] }], 'POST /api/things': [{ clientCert: [] }] },
  }) as const;

test('the client certificate is presented: the server, which requires one from its CA, answers', async () => {
  const mtls = new MutualTlsCredential({ cert: pem['client.pem']!, key: pem['client.key']!, ca: pem['ca.pem']! });
  const auth = createSpecAuth(security(url), { credentials: { clientCert: mtls } });
  const api = createApiClient<paths>(url, { fetch: mtls.fetch, middleware: [auth.middleware] });
  expect((await api.GET('/api/things')).data).toEqual({ things: [1] });
  expect((await api.POST('/api/things', { body: { name: 'over mTLS' } })).data).toEqual({ created: { name: 'over mTLS' } });
  for (const view of [inspect(mtls, { showHidden: true, depth: 5 }), JSON.stringify(mtls), String(mtls)]) expect(view).not.toContain('PRIVATE KEY');
  mtls.close();
});

test('without the certificate the same server refuses the connection (the test can fail)', async () => {
  const mtls = new MutualTlsCredential({ cert: pem['client.pem']!, key: pem['client.key']!, ca: pem['ca.pem']! });
  const auth = createSpecAuth(security(url), { credentials: { clientCert: mtls } });
  const api = createApiClient<paths>(url, { middleware: [auth.middleware] });
  await expect(api.GET('/api/things')).rejects.toThrow();
  mtls.close();
});

test('an operation over plain http is refused before the network (40106)', async () => {
  const mtls = new MutualTlsCredential({ cert: pem['client.pem']!, key: pem['client.key']! });
  const auth = createSpecAuth(security('http://127.0.0.1:1'), { credentials: { clientCert: mtls } });
  const api = createApiClient<paths>('http://127.0.0.1:1', { fetch: mtls.fetch, middleware: [auth.middleware] });
  await expect(api.GET('/api/things')).rejects.toMatchObject({ code: 40106, message: expect.stringContaining('needs https') });
  mtls.close();
});

test('bad PEM is 40003 naming the options; the default (web) entry refuses mutualTLS with 40106 saying why', () => {
  expect(() => new MutualTlsCredential({ cert: 'not pem', key: 'not pem' })).toThrow(expect.objectContaining({ code: 40003 }));
  expect(() => new WebMutualTlsCredential({ cert: pem['client.pem']!, key: pem['client.key']! })).toThrow(
    expect.objectContaining({ code: 40106, message: expect.stringContaining('only under Node') }),
  );
});

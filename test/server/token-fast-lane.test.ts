import { Buffer } from 'node:buffer';
import { encode, ExtData } from '@msgpack/msgpack';
import { FULL_KEY, LIMITED_KEY, basic, bearer, keyName, signTokenRequest, type TestServer } from './helpers';
import { comparable, FULL_PATH, HOUR, json, JSON_TYPE, LIMITED_PATH, msgpack, msgpackMap, MSGPACK_TYPE, send, signed, useLaneAndFramework, type WireRequest } from './fast-lane-helpers';

// The token fast lane (ably/token-fast-lane.ts) must change nothing a client can see: the same
// requests sent to a server with it and to one without get the same status line, the same headers
// in the same order and the same body (but the random token). Side effects: token-fast-lane-effects.test.ts.

const { lane, framework } = useLaneAndFramework();

/** A case: the requests it sends in order, built afresh for each server (each signed at that server's time). */
type Case = (server: TestServer) => WireRequest[];

// Each case names the statuses both servers answer, so a break shared by both still fails.
const CASES: Array<[string, number[], Case]> = [
  ['a valid signed TokenRequest', [200], (s) => [{ path: FULL_PATH, ...json(signed(s)) }]],
  ['a signed TokenRequest with ttl, clientId and capability', [200], (s) => [{ path: LIMITED_PATH, ...json(signed(s, { ttl: 5_000, clientId: 'alice', capability: '{"*":["publish","subscribe"]}' }, LIMITED_KEY)) }]],
  ['Basic auth with TokenParams', [200], () => [{ path: FULL_PATH, ...json({ ttl: 90_000, clientId: 'bob', capability: '{"chat:*":["subscribe"]}' }, { authorization: basic(FULL_KEY) }) }]],
  ['Basic auth with an empty body object', [200], () => [{ path: FULL_PATH, ...json({}, { authorization: basic(FULL_KEY) }) }]],
  ['Basic auth with the wrong secret', [401], () => [{ path: FULL_PATH, ...json({}, { authorization: basic(`${keyName(FULL_KEY)}:wrong-secret`) }) }]],
  ['Bearer auth on requestToken', [401], () => [{ path: FULL_PATH, ...json({}, { authorization: bearer('testApp.whatever') }) }]],
  ['Accept: application/x-msgpack', [200], (s) => [{ path: FULL_PATH, ...json(signed(s), { accept: 'application/x-msgpack' }) }]],
  ['Accept ranking JSON above msgpack', [200], (s) => [{ path: FULL_PATH, ...json(signed(s), { accept: 'application/x-msgpack;q=0.5, application/json' }) }]],
  ['content-type application/json; charset=utf-8', [200], (s) => [{ path: FULL_PATH, ...json(signed(s), { 'content-type': 'application/json; charset=utf-8' }) }]],
  ['content-type application/json;charset=utf-8 (no space)', [200], (s) => [{ path: FULL_PATH, ...json(signed(s), { 'content-type': 'application/json;charset=utf-8' }) }]],
  ['content-type text/plain', [415], (s) => [{ path: FULL_PATH, ...json(signed(s), { 'content-type': 'text/plain' }) }]],
  ['with X-Ably-Version and X-Ably-ClientId headers', [200], (s) => [{ path: FULL_PATH, ...json(signed(s), { 'x-ably-version': '2', 'x-ably-clientid': 'not base64!' }) }]],
  ['a wrong mac', [401], (s) => [{ path: FULL_PATH, ...json({ ...signed(s), mac: Buffer.alloc(32, 7).toString('base64') }) }]],
  ['a mac that is a number', [400], (s) => [{ path: FULL_PATH, ...json({ ...signed(s), mac: 42 }) }]],
  ['no mac and no Authorization', [401], (s) => {
    const { mac: _mac, ...unsigned } = signed(s);
    return [{ path: FULL_PATH, ...json(unsigned) }];
  }],
  ['an unknown key', [401], (s) => [{ path: '/keys/testApp.unknown/requestToken', ...json(signTokenRequest('testApp.unknown:whatever-secret', { timestamp: s.clock.now() })) }]],
  ['path and body keyName differ', [401], (s) => [{ path: LIMITED_PATH, ...json(signed(s)) }]],
  ['a replayed nonce (the same request twice)', [200, 401], (s) => {
    const request = { path: FULL_PATH, ...json(signed(s)) };
    return [request, request];
  }],
  ['a timestamp 11 minutes old', [401], (s) => [{ path: FULL_PATH, ...json(signed(s, { timestamp: s.clock.now() - 11 * 60_000 })) }]],
  ['a timestamp as a float', [400], (s) => [{ path: FULL_PATH, ...json(signed(s, { timestamp: s.clock.now() + 0.5 })) }]],
  ['a timestamp as a string', [400], (s) => [{ path: FULL_PATH, ...json({ ...signed(s), timestamp: String(s.clock.now()) }) }]],
  ['a ttl above the maximum', [400], (s) => [{ path: FULL_PATH, ...json(signed(s, { ttl: 24 * HOUR + 1 })) }]],
  ['a ttl of exactly the maximum', [200], (s) => [{ path: FULL_PATH, ...json(signed(s, { ttl: 24 * HOUR })) }]],
  ['a ttl of 0', [400], (s) => [{ path: FULL_PATH, ...json(signed(s, { ttl: 0 })) }]],
  ['a ttl of 0 with Basic auth (no mac to catch it)', [400], () => [{ path: FULL_PATH, ...json({ ttl: 0 }, { authorization: basic(FULL_KEY) }) }]],
  ['a nonce of 8 code points with Basic auth', [400], (s) => [{ path: FULL_PATH, ...json({ nonce: '😀'.repeat(8), timestamp: s.clock.now() }, { authorization: basic(FULL_KEY) }) }]],
  ['a negative ttl', [400], (s) => [{ path: FULL_PATH, ...json(signed(s, { ttl: -5 })) }]],
  ['a ttl as a string', [400], (s) => [{ path: FULL_PATH, ...json({ ...signed(s), ttl: '60000' }) }]],
  ['a ttl written 6e4', [200], (s) => [{ path: FULL_PATH, body: JSON.stringify(signed(s, { ttl: 60_000 })).replace('"ttl":60000', '"ttl":6e4'), headers: { 'content-type': JSON_TYPE } }]],
  ['a nonce shorter than 16', [400], (s) => [{ path: FULL_PATH, ...json(signed(s, { nonce: 'short-nonce' })) }]],
  ['a nonce of 16 UTF-16 units but 8 code points', [400], (s) => [{ path: FULL_PATH, ...json(signed(s, { nonce: '😀'.repeat(8) })) }]],
  ['a nonce of 16 code points with surrogate pairs', [200], (s) => [{ path: FULL_PATH, ...json(signed(s, { nonce: `${'😀'.repeat(8)}abcdefgh` })) }]],
  ['a nonce over the maximum length', [400], (s) => [{ path: FULL_PATH, ...json(signed(s, { nonce: 'n'.repeat(129) })) }]],
  ['an empty clientId', [400], (s) => [{ path: FULL_PATH, ...json(signed(s, { clientId: '' })) }]],
  ['a clientId of "*"', [200], (s) => [{ path: FULL_PATH, ...json(signed(s, { clientId: '*' })) }]],
  ['a clientId over the maximum length', [400], (s) => [{ path: FULL_PATH, ...json(signed(s, { clientId: 'c'.repeat(257) })) }]],
  ['a clientId that is a number', [400], (s) => [{ path: FULL_PATH, ...json({ ...signed(s), clientId: 7 }) }]],
  ['a capability that is not JSON', [400], (s) => [{ path: FULL_PATH, ...json(signed(s, { capability: '{"*":' })) }]],
  ['a capability as an object', [400], (s) => [{ path: FULL_PATH, ...json({ ...signed(s), capability: { '*': ['*'] } }) }]],
  ['a capability with an empty intersection', [401], (s) => [{ path: LIMITED_PATH, ...json(signed(s, { capability: '{"secret":["publish"]}' }, LIMITED_KEY)) }]],
  ['a body that is not JSON', [400], () => [{ path: FULL_PATH, body: '{"ttl":', headers: { 'content-type': JSON_TYPE } }]],
  ['an empty body', [400], () => [{ path: FULL_PATH, body: '', headers: { 'content-type': JSON_TYPE } }]],
  ['no body and no content-type', [400], () => [{ path: FULL_PATH }]],
  ['a body that is a JSON array', [400], () => [{ path: FULL_PATH, body: '[]', headers: { 'content-type': JSON_TYPE } }]],
  ['a JSON array body with Basic auth', [400], () => [{ path: FULL_PATH, body: '[]', headers: { 'content-type': JSON_TYPE, authorization: basic(FULL_KEY) } }]],
  ['a JSON null body with Basic auth', [400], () => [{ path: FULL_PATH, body: 'null', headers: { 'content-type': JSON_TYPE, authorization: basic(FULL_KEY) } }]],
  ['a body that is a JSON string', [400], () => [{ path: FULL_PATH, body: '"x"', headers: { 'content-type': JSON_TYPE } }]],
  ['a body that is JSON null', [400], () => [{ path: FULL_PATH, body: 'null', headers: { 'content-type': JSON_TYPE } }]],
  ['a body with a byte-order mark', [200], (s) => [{ path: FULL_PATH, body: `\uFEFF${JSON.stringify(signed(s))}`, headers: { 'content-type': JSON_TYPE } }]],
  ['a "__proto__" body', [400], (s) => [{ path: FULL_PATH, body: JSON.stringify(signed(s)).replace('{', '{"__proto__":{"ttl":1},'), headers: { 'content-type': JSON_TYPE } }]],
  ['a "__proto__" spelled with an escape', [400], (s) => [{ path: FULL_PATH, body: JSON.stringify(signed(s)).replace('{', '{"\\u005f_proto__":{"ttl":1},'), headers: { 'content-type': JSON_TYPE } }]],
  ['a "constructor.prototype" body', [400], (s) => [{ path: FULL_PATH, body: JSON.stringify(signed(s)).replace('{', '{"constructor":{"prototype":{"ttl":1}},'), headers: { 'content-type': JSON_TYPE } }]],
  ['"constructor" inside a valid clientId', [200], (s) => [{ path: FULL_PATH, ...json(signed(s, { clientId: 'constructor-fan' })) }]],
  ['"__proto__" as a clientId value, not a key', [200], (s) => [{ path: FULL_PATH, ...json(signed(s, { clientId: '__proto__' })) }]],
  ['an escaped character in a valid clientId', [200], (s) => [{ path: FULL_PATH, ...json(signed(s, { clientId: 'tab\there' })) }]],
  ['unknown extra fields', [200], (s) => [{ path: FULL_PATH, ...json({ ...signed(s), extra: [1, 2], nested: { a: null } }) }]],
  ['duplicate fields (the last wins)', [200], (s) => [{ path: FULL_PATH, body: JSON.stringify(signed(s, { ttl: 60_000 })).replace('{', '{"ttl":0,'), headers: { 'content-type': JSON_TYPE } }]],
  ['a body over the body limit', [413], (s) => [{ path: FULL_PATH, ...json({ ...signed(s), padding: 'p'.repeat(70 * 1024) }) }]],
  ['a body of exactly the body limit', [200], (s) => {
    const base = JSON.stringify({ ...signed(s), padding: '' });
    return [{ path: FULL_PATH, body: base.replace('"padding":""', `"padding":"${'p'.repeat(64 * 1024 - base.length)}"`), headers: { 'content-type': JSON_TYPE } }];
  }],
  ['a chunked body (no content-length)', [200], (s) => {
    const text = JSON.stringify(signed(s));
    return [{ path: FULL_PATH, headers: { 'content-type': JSON_TYPE }, chunks: [text.slice(0, 10), text.slice(10)] }];
  }],
  ['a content-length body sent in three writes', [200], (s) => {
    const text = JSON.stringify(signed(s));
    return [{ path: FULL_PATH, headers: { 'content-type': JSON_TYPE, 'content-length': String(text.length) }, chunks: [text.slice(0, 5), text.slice(5, 40), text.slice(40)] }];
  }],
  ['Connection: close', [200], (s) => [{ path: FULL_PATH, ...json(signed(s), { connection: 'close' }) }]],
  ['invalid UTF-8 in a clientId (Basic auth)', [200], () => [{
    path: FULL_PATH,
    body: Buffer.concat([Buffer.from('{"clientId":"a'), Buffer.from([0xff, 0xc3, 0x28, 0xf0, 0x9f]), Buffer.from('b"}')]),
    headers: { 'content-type': JSON_TYPE, authorization: basic(FULL_KEY) },
  }]],
  ['a multi-byte clientId written a byte at a time', [200], (s) => {
    const bytes = Buffer.from(JSON.stringify(signed(s, { clientId: 'zoë-😀-名前' })));
    return [{ path: FULL_PATH, headers: { 'content-type': JSON_TYPE, 'content-length': String(bytes.length) }, chunks: [...bytes].map((byte) => Buffer.from([byte])) }];
  }],
  ['a key revoked through the test controls', [200, 401, 401], (s) => [
    { path: '/_admin/keys/revoke', ...json({ keyName: keyName(LIMITED_KEY) }) },
    { path: LIMITED_PATH, ...json(signed(s, {}, LIMITED_KEY)) },
    { path: LIMITED_PATH, ...json({}, { authorization: basic(LIMITED_KEY) }) },
  ]],
  ['a server clock moved by the test controls', [200, 200, 401], (s) => [
    { path: '/_admin/clock', ...json({ offsetMs: HOUR }) },
    { path: FULL_PATH, ...json(signed(s, { timestamp: s.clock.now() + HOUR })) },
    { path: FULL_PATH, ...json(signed(s)) },
  ]],
  ['an Origin header (CORS)', [200], (s) => [{ path: FULL_PATH, ...json(signed(s), { origin: 'http://app.example' }) }]],
  ['an Origin header on a refusal', [400], (s) => [{ path: FULL_PATH, ...json(signed(s, { ttl: 0 }), { origin: 'http://app.example' }) }]],
  ['?format=msgpack', [200], (s) => [{ path: `${FULL_PATH}?format=msgpack`, ...json(signed(s)) }]],
  ['?format=json with Accept msgpack', [200], (s) => [{ path: `${FULL_PATH}?format=json`, ...json(signed(s), { accept: 'application/x-msgpack' }) }]],
  ['?format=xml', [400], (s) => [{ path: `${FULL_PATH}?format=xml`, ...json(signed(s)) }]],
  ['a Host the server does not own', [403], (s) => [{ path: FULL_PATH, ...json(signed(s), { host: 'evil.example' }) }]],
  ['a Host with the port the server owns', [200], (s) => [{ path: FULL_PATH, ...json(signed(s), { host: `localhost:${s.port}` }) }]],
  ['a percent-encoded key name', [200], (s) => [{ path: '/keys/testApp%2EfullKey/requestToken', ...json(signed(s)) }]],
  ['a key name with a semicolon', [401], (s) => [{ path: '/keys/testApp.fullKey;x/requestToken', ...json(signed(s)) }]],
  ['a key name longer than the router takes', [414], (s) => [{ path: `/keys/${'k'.repeat(2049)}/requestToken`, ...json(signed(s)) }]],
  ['a trailing slash', [404], (s) => [{ path: `${FULL_PATH}/`, ...json(signed(s)) }]],
  ['PUT instead of POST', [404], (s) => [{ method: 'PUT', path: FULL_PATH, ...json(signed(s)) }]],
];

// The same route with msgpack bodies (Content-Type: application/x-msgpack), which the lane decodes
// with the route's own decoder and takes only when the value is one JSON could carry.
const mp = (body: Buffer, headers: Record<string, string> = {}): Pick<WireRequest, 'body' | 'headers'> => ({ body, headers: { 'content-type': MSGPACK_TYPE, ...headers } });
const pairs = (value: object): Array<[unknown, unknown]> => Object.entries(value);
const MSGPACK_CASES: Array<[string, number[], Case]> = [
  ['a valid signed TokenRequest', [200], (s) => [{ path: FULL_PATH, ...msgpack(signed(s)) }]],
  ['a valid signed TokenRequest, Accept: application/x-msgpack', [200], (s) => [{ path: FULL_PATH, ...msgpack(signed(s), { accept: MSGPACK_TYPE }) }]],
  ['a signed TokenRequest with ttl, clientId and capability', [200], (s) => [{ path: LIMITED_PATH, ...msgpack(signed(s, { ttl: 5_000, clientId: 'alice', capability: '{"*":["publish","subscribe"]}' }, LIMITED_KEY)) }]],
  ['Basic auth with TokenParams', [200], () => [{ path: FULL_PATH, ...msgpack({ ttl: 90_000, clientId: 'bob', capability: '{"chat:*":["subscribe"]}' }, { authorization: basic(FULL_KEY) }) }]],
  ['Basic auth with an empty map', [200], () => [{ path: FULL_PATH, ...msgpack({}, { authorization: basic(FULL_KEY) }) }]],
  ['Basic auth with the wrong secret', [401], () => [{ path: FULL_PATH, ...msgpack({}, { authorization: basic(`${keyName(FULL_KEY)}:wrong-secret`) }) }]],
  ['a wrong mac', [401], (s) => [{ path: FULL_PATH, ...msgpack({ ...signed(s), mac: Buffer.alloc(32, 7).toString('base64') }) }]],
  ['a mac as bytes', [400], (s) => [{ path: FULL_PATH, ...msgpack({ ...signed(s), mac: Buffer.from(signed(s).mac, 'base64') }) }]],
  ['a replayed nonce (the same request twice)', [200, 401], (s) => {
    const request = { path: FULL_PATH, ...msgpack(signed(s)) };
    return [request, request];
  }],
  ['every number written as a float64 (60000.0, timestamp.0)', [200], (s) => [{ path: FULL_PATH, ...mp(Buffer.from(encode(signed(s, { ttl: 60_000 }), { forceIntegerToFloat: true }))) }]],
  ['a timestamp as a bigint-encoded uint64', [200], (s) => [{ path: FULL_PATH, ...mp(Buffer.from(encode({ ...signed(s), timestamp: BigInt(s.clock.now()) }, { useBigInt64: true }))) }]],
  ['a ttl as a float32 (60000) with Basic auth', [200], () => [{ path: FULL_PATH, ...mp(Buffer.from(encode({ ttl: 60_000 }, { forceIntegerToFloat: true, forceFloat32: true })), { authorization: basic(FULL_KEY) }) }]],
  ['a ttl as a float32 with a fraction with Basic auth', [400], () => [{ path: FULL_PATH, ...mp(Buffer.from(encode({ ttl: 1.5 }, { forceFloat32: true })), { authorization: basic(FULL_KEY) }) }]],
  ['a timestamp with a fraction', [400], (s) => [{ path: FULL_PATH, ...msgpack(signed(s, { timestamp: s.clock.now() + 0.5 })) }]],
  ['a ttl of 0 with Basic auth', [400], () => [{ path: FULL_PATH, ...msgpack({ ttl: 0 }, { authorization: basic(FULL_KEY) }) }]],
  ['a ttl of NaN with Basic auth', [400], () => [{ path: FULL_PATH, ...msgpack({ ttl: Number.NaN }, { authorization: basic(FULL_KEY) }) }]],
  ['a ttl of Infinity with Basic auth', [400], () => [{ path: FULL_PATH, ...msgpack({ ttl: Number.POSITIVE_INFINITY }, { authorization: basic(FULL_KEY) }) }]],
  ['a ttl above the maximum', [400], (s) => [{ path: FULL_PATH, ...msgpack(signed(s, { ttl: 24 * HOUR + 1 })) }]],
  ['a ttl as a string', [400], (s) => [{ path: FULL_PATH, ...msgpack({ ...signed(s), ttl: '60000' }) }]],
  ['a nonce shorter than 16', [400], (s) => [{ path: FULL_PATH, ...msgpack(signed(s, { nonce: 'short-nonce' })) }]],
  ['a nonce of 16 UTF-16 units but 8 code points', [400], (s) => [{ path: FULL_PATH, ...msgpack(signed(s, { nonce: '😀'.repeat(8) })) }]],
  ['a nonce as bytes (bin)', [400], (s) => [{ path: FULL_PATH, ...msgpack({ ...signed(s), nonce: Buffer.from(signed(s).nonce) }) }]],
  ['a nonce as bytes (bin) with Basic auth', [400], (s) => [{ path: FULL_PATH, ...msgpack({ timestamp: s.clock.now(), nonce: Buffer.from('0123456789abcdef0123') }, { authorization: basic(FULL_KEY) }) }]],
  ['a clientId as bytes with Basic auth', [400], () => [{ path: FULL_PATH, ...msgpack({ clientId: Buffer.from('alice') }, { authorization: basic(FULL_KEY) }) }]],
  ['an empty clientId', [400], (s) => [{ path: FULL_PATH, ...msgpack(signed(s, { clientId: '' })) }]],
  ['a clientId that is a number', [400], (s) => [{ path: FULL_PATH, ...msgpack({ ...signed(s), clientId: 7 }) }]],
  ['a clientId that is nil', [400], (s) => [{ path: FULL_PATH, ...msgpack({ ...signed(s), clientId: null }) }]],
  ['a capability as a map', [400], (s) => [{ path: FULL_PATH, ...msgpack({ ...signed(s), capability: { '*': ['*'] } }) }]],
  ['a timestamp as a Date (timestamp ext)', [400], (s) => [{ path: FULL_PATH, ...msgpack({ ...signed(s), timestamp: new Date(s.clock.now()) }) }]],
  ['an extra field of bytes (bin)', [200], (s) => [{ path: FULL_PATH, ...msgpack({ ...signed(s), extra: Buffer.from([1, 2, 3]) }) }]],
  ['an extra field of an unknown ext type', [200], (s) => [{ path: FULL_PATH, ...msgpack({ ...signed(s), extra: new ExtData(5, Uint8Array.of(1, 2)) }) }]],
  ['an extra Date field (timestamp ext)', [200], (s) => [{ path: FULL_PATH, ...msgpack({ ...signed(s), extra: new Date(0) }) }]],
  ['nested extra fields', [200], (s) => [{ path: FULL_PATH, ...msgpack({ ...signed(s), extra: [1, { a: null }] }) }]],
  ['an ext value as the whole body with Basic auth', [200], () => [{ path: FULL_PATH, ...mp(Buffer.from(encode(new ExtData(5, Uint8Array.of(1)))), { authorization: basic(FULL_KEY) }) }]],
  ['a Date as the whole body with Basic auth', [200], () => [{ path: FULL_PATH, ...mp(Buffer.from(encode(new Date(0))), { authorization: basic(FULL_KEY) }) }]],
  ['bytes as the whole body with Basic auth', [200], () => [{ path: FULL_PATH, ...mp(Buffer.from(encode(Buffer.from('{}'))), { authorization: basic(FULL_KEY) }) }]],
  ['an array as the whole body with Basic auth', [400], () => [{ path: FULL_PATH, ...msgpack([], { authorization: basic(FULL_KEY) }) }]],
  ['nil as the whole body with Basic auth', [400], () => [{ path: FULL_PATH, ...msgpack(null, { authorization: basic(FULL_KEY) }) }]],
  ['a string as the whole body', [400], () => [{ path: FULL_PATH, ...msgpack('x') }]],
  ['a map with a number key', [200], (s) => [{ path: FULL_PATH, ...mp(msgpackMap([[1, 'one'], ...pairs(signed(s))])) }]],
  ['a number key 1 and a string key "1" (the last wins)', [200], (s) => [{ path: FULL_PATH, ...mp(msgpackMap([...pairs(signed(s)), [1, 'a'], ['1', 'b']])) }]],
  ['a map with a nil key', [400], (s) => [{ path: FULL_PATH, ...mp(msgpackMap([[null, 'x'], ...pairs(signed(s))])) }]],
  ['a map with a bytes key', [400], (s) => [{ path: FULL_PATH, ...mp(msgpackMap([[Buffer.from('ttl'), 1], ...pairs(signed(s))])) }]],
  ['a map with a "__proto__" key', [400], (s) => [{ path: FULL_PATH, ...mp(msgpackMap([['__proto__', { ttl: 1 }], ...pairs(signed(s))])) }]],
  ['a map with a "constructor" key', [200], (s) => [{ path: FULL_PATH, ...mp(msgpackMap([['constructor', { prototype: { ttl: 1 } }], ...pairs(signed(s))])) }]],
  ['a map with a "constructor" string field', [200], (s) => [{ path: FULL_PATH, ...mp(msgpackMap([['constructor', 'x'], ...pairs(signed(s))])) }]],
  ['duplicate keys (the last wins)', [200], (s) => [{ path: FULL_PATH, ...mp(msgpackMap([['ttl', 0], ...pairs(signed(s, { ttl: 60_000 }))])) }]],
  ['duplicate keys (a refused value last)', [400], (s) => [{ path: FULL_PATH, ...mp(msgpackMap([...pairs(signed(s, { ttl: 60_000 })), ['ttl', 0]])) }]],
  ['undecodable bytes (0xc1)', [400], () => [{ path: FULL_PATH, ...mp(Buffer.from([0xc1])) }]],
  ['a truncated map', [400], (s) => [{ path: FULL_PATH, ...mp(Buffer.from(encode(signed(s))).subarray(0, 20)) }]],
  ['trailing garbage after a valid map', [400], (s) => [{ path: FULL_PATH, ...mp(Buffer.concat([Buffer.from(encode(signed(s))), Buffer.from([0x00])])) }]],
  ['two maps back to back', [400], (s) => [{ path: FULL_PATH, ...mp(Buffer.concat([Buffer.from(encode(signed(s))), Buffer.from(encode({}))])) }]],
  ['a JSON body sent as msgpack', [400], (s) => [{ path: FULL_PATH, ...mp(Buffer.from(JSON.stringify(signed(s)))) }]],
  ['a msgpack body sent as JSON', [400], (s) => [{ path: FULL_PATH, body: Buffer.from(encode(signed(s))), headers: { 'content-type': JSON_TYPE } }]],
  ['an empty body', [400], () => [{ path: FULL_PATH, ...mp(Buffer.alloc(0)) }]],
  ['invalid UTF-8 in a clientId string (Basic auth)', [200], () => [{
    path: FULL_PATH,
    ...mp(Buffer.concat([Buffer.from([0x81, 0xa8]), Buffer.from('clientId'), Buffer.from([0xa5, 0x61, 0xff, 0xc3, 0x28, 0x62])]), { authorization: basic(FULL_KEY) }),
  }]],
  ['content-type with a charset parameter', [200], (s) => [{ path: FULL_PATH, ...msgpack(signed(s), { 'content-type': `${MSGPACK_TYPE}; charset=utf-8` }) }]],
  ['content-type in capitals', [200], (s) => [{ path: FULL_PATH, ...msgpack(signed(s), { 'content-type': 'Application/X-Msgpack' }) }]],
  ['content-type application/msgpack (not registered)', [415], (s) => [{ path: FULL_PATH, ...msgpack(signed(s), { 'content-type': 'application/msgpack' }) }]],
  ['a chunked body (no content-length)', [200], (s) => {
    const bytes = Buffer.from(encode(signed(s)));
    return [{ path: FULL_PATH, headers: { 'content-type': MSGPACK_TYPE }, chunks: [bytes.subarray(0, 10), bytes.subarray(10)] }];
  }],
  ['a body written a byte at a time', [200], (s) => {
    const bytes = Buffer.from(encode(signed(s, { clientId: 'zoë-😀-名前' })));
    return [{ path: FULL_PATH, headers: { 'content-type': MSGPACK_TYPE, 'content-length': String(bytes.length) }, chunks: [...bytes].map((byte) => Buffer.from([byte])) }];
  }],
  ['a body over the body limit', [413], (s) => [{ path: FULL_PATH, ...msgpack({ ...signed(s), padding: 'p'.repeat(70 * 1024) }) }]],
  ['an Origin header (CORS)', [200], (s) => [{ path: FULL_PATH, ...msgpack(signed(s), { origin: 'http://app.example' }) }]],
  ['?format=json', [200], (s) => [{ path: `${FULL_PATH}?format=json`, ...msgpack(signed(s)) }]],
  ['a key revoked through the test controls', [200, 401, 401], (s) => [
    { path: '/_admin/keys/revoke', ...json({ keyName: keyName(LIMITED_KEY) }) },
    { path: LIMITED_PATH, ...msgpack(signed(s, {}, LIMITED_KEY)) },
    { path: LIMITED_PATH, ...msgpack({}, { authorization: basic(LIMITED_KEY) }) },
  ]],
];
for (const [label, statuses, build] of MSGPACK_CASES) CASES.push([`msgpack: ${label}`, statuses, build]);

describe('the same answers with and without the fast lane', () => {
  test.each(CASES)('%s', async (_label, statuses, build) => {
    const fast = lane();
    const slow = framework();
    expect(fast.clock.now()).toBe(slow.clock.now());
    const fastAnswers: unknown[] = [];
    const slowAnswers: unknown[] = [];
    for (const wire of build(fast)) fastAnswers.push(comparable(await send(fast, wire)));
    for (const wire of build(slow)) slowAnswers.push(comparable(await send(slow, wire)));
    expect(fastAnswers).toEqual(slowAnswers);
    expect(fastAnswers.map((answer) => Number((answer as { status: string }).status.slice(0, 3)))).toEqual(statuses);
  });
});

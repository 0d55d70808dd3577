/**
 * Demo steps 1–5: each way an Ably client authenticates — the key itself (Basic), a TokenRequest
 * exchanged without auth, an authCallback, an authUrl, and an Ably JWT.
 */
import { AblyAuth } from '../../src';
import { createAblyApi, createAblyClient } from '../../src/client';
import { DEMO_CREDENTIALS } from '../../tokensmith-server/src/server';
import { startTokenServer } from '../../examples/ably-token-server';
import { countOf, type DemoStep } from './context';
import { ablyCode, check, mask } from './format';

const KEY = DEMO_CREDENTIALS.ablyKey;
const KEY_NAME = KEY.split(':')[0] as string;
const REQUEST_TOKEN = `POST /keys/${KEY_NAME}/requestToken`;

const basicAuth: DemoStep = {
  title: 'Basic auth with the API key',
  async run({ url, requests }) {
    const ably = createAblyClient({ baseUrl: url, key: KEY });
    const { response } = await ably.POST('/channels/{channelId}/messages', {
      params: { path: { channelId: 'demo:basic' } },
      body: { name: 'hello', data: 'sent with the key itself' },
    });
    check(response.status === 201, `publish with Basic auth answered ${response.status}, expected 201`);
    const log = await requests();
    check(countOf(log, 'requestToken') === 0, 'Basic auth should not request a token');
    return [
      `createAblyClient({ key }) sent Authorization: Basic base64(key) on loopback http`,
      `POST /channels/demo:basic/messages -> 201; token requests: 0`,
    ];
  },
};

const tokenRequestExchange: DemoStep = {
  title: 'createTokenRequest and its exchange',
  async run({ url }) {
    const auth = new AblyAuth({ baseUrl: url, key: KEY });
    const tokenRequest = await auth.createTokenRequest({
      clientId: 'browser-user',
      capability: { 'demo:*': ['publish', 'subscribe', 'history'] },
      ttl: 10 * 60_000,
    });
    check(tokenRequest.nonce.length >= 16, 'the nonce should have at least 16 characters');
    // What a browser does with it: POST it, with no Authorization header at all.
    const api = createAblyApi({ baseUrl: url });
    const exchange = () => api.POST('/keys/{keyName}/requestToken', { params: { path: { keyName: tokenRequest.keyName } }, body: tokenRequest });
    const { data, response } = await exchange();
    check(response.status === 200 && data, `the exchange answered ${response.status}, expected 200`);
    check(data.clientId === 'browser-user', 'the token should be bound to clientId browser-user');
    const replay = await exchange();
    check(ablyCode(replay.error) === 40105, `a replayed TokenRequest answered ${ablyCode(replay.error)}, expected 40105`);
    const minutes = Math.round((data.expires - data.issued) / 60_000);
    return [
      `signed locally: keyName ${tokenRequest.keyName}, clientId ${tokenRequest.clientId}, ttl ${tokenRequest.ttl} ms, nonce of ${tokenRequest.nonce.length} chars, mac ${mask(tokenRequest.mac)}`,
      `${REQUEST_TOKEN} with no Authorization header -> 200: token ${mask(data.token)}, ${minutes} min, capability ${data.capability}`,
      `the same TokenRequest again -> ${replay.response.status} ${ablyCode(replay.error)} (nonce replayed)`,
    ];
  },
};

const authCallback: DemoStep = {
  title: 'authCallback',
  async run({ url, requests }) {
    const backend = new AblyAuth({ baseUrl: url, key: KEY }); // stands for your server
    let calls = 0;
    const ably = createAblyClient({
      baseUrl: url,
      clientId: 'callback-user',
      authCallback: async (tokenParams) => {
        calls += 1;
        return backend.createTokenRequest(tokenParams);
      },
    });
    for (const data of ['one', 'two']) {
      const { response } = await ably.POST('/channels/{channelId}/messages', { params: { path: { channelId: 'demo:callback' } }, body: { data } });
      check(response.status === 201, `publish via authCallback answered ${response.status}, expected 201`);
    }
    const tokenRequests = countOf(await requests(), 'requestToken');
    check(calls === 1 && tokenRequests === 1, `expected 1 callback and 1 token request, saw ${calls} and ${tokenRequests}`);
    return [
      `the callback returned a TokenRequest; the client exchanged it and cached the token ${mask(ably.auth.tokenDetails?.token ?? '')}`,
      `2 publishes -> 201, 201; callback calls: ${calls}; token requests: ${tokenRequests}; clientId ${ably.auth.clientId}`,
    ];
  },
};

const authUrl: DemoStep = {
  title: 'authUrl (a node:http token endpoint in this process, as your backend would run it)',
  async run({ url, requests }) {
    let hits = 0;
    const endpoint = await startTokenServer({
      key: KEY,
      port: 0,
      identify: (request) => {
        hits += 1;
        const user = request.headers['x-demo-user'];
        return typeof user === 'string' ? user : undefined;
      },
    });
    try {
      const browser = createAblyClient({ baseUrl: url, authUrl: endpoint.authUrl, authHeaders: { 'x-demo-user': 'url-user' } });
      const published = await browser.POST('/channels/{channelId}/messages', { params: { path: { channelId: 'chat:demo' } }, body: { data: 'hi' } });
      check(published.response.status === 201, `publish via authUrl answered ${published.response.status}, expected 201`);
      const history = await browser.GET('/channels/{channelId}/messages', { params: { path: { channelId: 'chat:demo' } } });
      check(history.response.status === 200 && history.data?.[0]?.clientId === 'url-user', 'history should show the message from url-user');
      const tokenRequests = countOf(await requests(), 'requestToken');
      check(hits === 1 && tokenRequests === 1, `expected 1 authUrl call and 1 token request, saw ${hits} and ${tokenRequests}`);
      return [
        `GET ${endpoint.authUrl} (x-demo-user: url-user) -> a TokenRequest for clientId url-user (examples/ably-token-server.ts)`,
        `publish on chat:demo -> 201, history -> 200 with clientId ${history.data[0].clientId}; authUrl calls: ${hits}; token requests: ${tokenRequests}`,
      ];
    } finally {
      await endpoint.close();
    }
  },
};

const ablyJwt: DemoStep = {
  title: 'Ably JWT',
  async run({ url, requests }) {
    const jwt = await new AblyAuth({ baseUrl: url, key: KEY }).createJwt({
      clientId: 'jwt-user',
      capability: { 'demo:*': ['publish'] },
      ttl: 10 * 60_000,
    });
    check(jwt.split('.').length === 3, 'createJwt should return a compact JWT');
    const ably = createAblyClient({ baseUrl: url, token: jwt });
    const { response } = await ably.POST('/channels/{channelId}/messages', { params: { path: { channelId: 'demo:jwt' } }, body: { data: 'signed by the key, no round trip' } });
    check(response.status === 201, `publish with the JWT answered ${response.status}, expected 201`);
    check(countOf(await requests(), 'requestToken') === 0, 'a JWT needs no token request');
    return [
      `createJwt: HS256, kid ${KEY_NAME}, clientId jwt-user, 10 min -> ${mask(jwt)} (signed locally)`,
      `used as the bearer token: publish on demo:jwt -> 201; token requests: 0`,
    ];
  },
};

/** Steps 1–5. */
export const ablyAuthSteps: readonly DemoStep[] = [basicAuth, tokenRequestExchange, authCallback, authUrl, ablyJwt];

/**
 * Demo steps 6–8: what a token does once obtained — publish and history, a capability refusal,
 * and expiry with transparent renewal driven by the server's test controls.
 */
import { createAblyClient, type AblyClient } from '../../src/client';
import { DEMO_CREDENTIALS } from '../../tokensmith-server/src/server';
import { countOf, recordingFetch, type DemoStep } from './context';
import { ablyCode, check, mask } from './format';

const history = (ably: AblyClient, channelId: string) => ably.GET('/channels/{channelId}/messages', { params: { path: { channelId }, query: { direction: 'forwards' } } });

const publishAndHistory: DemoStep = {
  title: 'Publish and history read with a token',
  async run({ url, requests }) {
    const ably = createAblyClient({ baseUrl: url, key: DEMO_CREDENTIALS.ablyKey, useTokenAuth: true, clientId: 'demo-publisher' });
    const names = ['order.created', 'order.paid', 'order.shipped'];
    const published = await ably.POST('/channels/{channelId}/messages', {
      params: { path: { channelId: 'demo:orders' } },
      body: names.map((name, step) => ({ name, data: { orderId: 'ord_1001', step } })),
    });
    check(published.response.status === 201, `publish answered ${published.response.status}, expected 201`);
    const read = await history(ably, 'demo:orders');
    check(read.response.status === 200 && read.data, `history answered ${read.response.status}, expected 200`);
    check(read.data.map((m) => m.name).join() === names.join(), 'history should hold the three messages in order');
    const tokenRequests = countOf(await requests(), 'requestToken');
    check(tokenRequests === 1, `expected 1 token request, saw ${tokenRequests}`);
    return [
      `useTokenAuth: TokenRequest signed with the key, exchanged once -> token ${mask(ably.auth.tokenDetails?.token ?? '')} (Authorization: Bearer base64(token))`,
      `POST 3 messages to demo:orders -> 201, ${published.data?.serials?.length ?? 0} serials; history -> ${read.data.map((m) => m.name).join(', ')}`,
      `every message carries clientId ${read.data[0]?.clientId}; token requests: ${tokenRequests}`,
    ];
  },
};

const capabilityRefusal: DemoStep = {
  title: 'Capability refusal (40160)',
  async run({ url, requests }) {
    const ably = createAblyClient({ baseUrl: url, key: DEMO_CREDENTIALS.ablyLimitedKey, useTokenAuth: true });
    const refused = await ably.POST('/channels/{channelId}/messages', { params: { path: { channelId: 'payroll' } }, body: { data: 'nope' } });
    check(ablyCode(refused.error) === 40160, `publish on payroll answered ${ablyCode(refused.error) ?? refused.response.status}, expected 40160`);
    const allowed = await ably.POST('/channels/{channelId}/messages', { params: { path: { channelId: 'allowed:news' } }, body: { data: 'yes' } });
    check(allowed.response.status === 201, `publish on allowed:news answered ${allowed.response.status}, expected 201`);
    const tokenRequests = countOf(await requests(), 'requestToken');
    check(tokenRequests === 1, `a 40160 must not renew the token; saw ${tokenRequests} token requests`);
    return [
      `limited key ${DEMO_CREDENTIALS.ablyLimitedKey.split(':')[0]}, capability ${JSON.stringify(DEMO_CREDENTIALS.ablyLimitedCapability)}`,
      `publish on payroll -> ${refused.response.status} ${ablyCode(refused.error)}: ${refused.error?.error.message}`,
      `publish on allowed:news -> 201; the refusal is returned as is, not renewed (token requests: ${tokenRequests})`,
    ];
  },
};

const expiryAndRenewal: DemoStep = {
  title: 'Token expiry and transparent renewal',
  async run({ url, admin, requests }) {
    const seen: string[] = [];
    const ably = createAblyClient({ baseUrl: url, key: DEMO_CREDENTIALS.ablyKey, useTokenAuth: true, fetch: recordingFetch(seen) });
    const first = await ably.auth.authorize();
    check((await admin.expireToken(first.token)) === 1, 'the test controls should expire exactly one token');
    seen.length = 0;
    const read = await history(ably, 'demo:orders');
    check(read.response.status === 200, `history after expiry answered ${read.response.status}, expected 200`);
    const second = ably.auth.tokenDetails?.token ?? '';
    check(second !== '' && second !== first.token, 'the client should hold a new token');
    const log = await requests();
    const tokenRequests = countOf(log, 'requestToken');
    check(tokenRequests === 2, `expected 2 token requests (authorize + renewal), saw ${tokenRequests}`);
    // What the wire saw during the one history call: rejection, token request, retry.
    check(seen.join() === '401 40142,200,200', `expected 401 40142, 200, 200 on the wire, saw ${seen.join(', ')}`);
    return [
      `authorize() -> token ${mask(first.token)}; POST /_admin/tokens/expire marks it expired (40142)`,
      `GET history -> ${seen[0]} -> requestToken ${seen[1]} -> the same GET retried once -> ${seen[2]}; the caller saw only the 200`,
      `token requests: ${tokenRequests} (authorize + 1 renewal); new token ${mask(second)} differs from the expired one`,
    ];
  },
};

/** Steps 6–8. */
export const ablyTokenSteps: readonly DemoStep[] = [publishAndHistory, capabilityRefusal, expiryAndRenewal];

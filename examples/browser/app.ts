/**
 * The page's script: an Ably REST client with `authUrl` pointing at this page's own backend
 * (`/ably/token`, which holds the key and answers TokenRequests), so no secret reaches the
 * browser. It publishes a greeting, then shows the channel's history; the form publishes more.
 * `server.ts` bundles it with esbuild, which picks tokensmith's browser (Web Crypto) entry.
 */
import { createAblyClient } from '../../src/client/index'; // in your app: from 'tokensmith/client'

const CHANNEL = 'chat:browser-demo';
const USER = 'browser-demo';

const baseUrl = document.querySelector<HTMLMetaElement>('meta[name="ably-base-url"]')?.content ?? 'https://rest.ably.io';
const ably = createAblyClient({
  authUrl: new URL('/ably/token', location.href).href,
  // Stands in for the session cookie a real app would send to its own backend.
  authHeaders: { 'x-demo-user': USER },
  baseUrl,
});

const element = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const status = element<HTMLParagraphElement>('status');
element('channel').textContent = CHANNEL;

function show(state: 'ready' | 'error', text: string): void {
  status.dataset.state = state;
  status.textContent = text;
}

async function publish(data: string): Promise<void> {
  const { error } = await ably.POST('/channels/{channelId}/messages', { params: { path: { channelId: CHANNEL } }, body: { name: 'note', data } });
  if (error) throw new Error(`publish refused: ${error.error.code} ${error.error.message}`);
}

async function refreshHistory(): Promise<void> {
  const { data, error } = await ably.GET('/channels/{channelId}/messages', { params: { path: { channelId: CHANNEL }, query: { limit: 20 } } });
  if (error) throw new Error(`history refused: ${error.error.code} ${error.error.message}`);
  element('history').replaceChildren(
    ...data.map((message) => {
      const item = document.createElement('li');
      item.textContent = String(message.data);
      const who = document.createElement('span');
      who.className = 'who';
      who.textContent = `${message.clientId ?? 'anonymous'}, ${new Date(message.timestamp ?? 0).toLocaleTimeString()}`;
      item.append(who);
      return item;
    }),
  );
}

async function run(action: () => Promise<void>): Promise<void> {
  try {
    await action();
    show('ready', `Signed in as ${ably.auth.clientId}; token expires ${new Date(ably.auth.tokenDetails?.expires ?? 0).toLocaleTimeString()}`);
  } catch (error) {
    show('error', error instanceof Error ? error.message : String(error));
  }
}

element<HTMLFormElement>('send').addEventListener('submit', (event) => {
  event.preventDefault();
  const input = element<HTMLInputElement>('text');
  const text = input.value;
  input.value = '';
  void run(async () => {
    await publish(text);
    await refreshHistory();
  });
});

void run(async () => {
  await publish(`Hello from the browser at ${new Date().toLocaleTimeString()}`);
  await refreshHistory();
});

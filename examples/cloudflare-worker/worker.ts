/**
 * A Cloudflare Worker issuing Ably TokenRequests at `GET /ably/token`. No `nodejs_compat` flag:
 * wrangler's bundler picks tokensmith's Web Crypto entry (the `workerd`/`browser` conditions
 * resolve to the default entry).
 *
 *   npx wrangler secret put ABLY_KEY     # your appId.keyId:secret
 *   npx wrangler deploy                  # uses wrangler.toml beside this file
 *   curl -H 'x-demo-user: alice' https://<your-worker>/ably/token
 *
 * `npm run test:runtimes` runs this worker in workerd (miniflare) against the local auth server.
 */
import { createTokenEndpoint, demoIdentify } from '../edge/token-endpoint';

/** The Worker's bindings. */
export interface Env {
  /** The Ably API key, set with `wrangler secret put ABLY_KEY`. */
  ABLY_KEY: string;
}

let endpoint: ((request: Request) => Promise<Response>) | undefined;

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    // One AblyAuth per isolate, so the key is imported once, not per request.
    endpoint ??= createTokenEndpoint({ key: env.ABLY_KEY, identify: demoIdentify });
    return endpoint(request);
  },
};

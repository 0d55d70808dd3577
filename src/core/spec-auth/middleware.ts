import type { Middleware } from 'openapi-fetch';
import { silentLogger, type Logger } from '../logger';
import { keepReplayCopy } from '../replay';
import { resendOnce } from '../resend';
import { compilePlans, type OperationPlan, type PlannedAlternative, type ProviderResolver } from './compile';
import type { SpecSecurityMap } from './types';

/** Options of {@link createSchemeMiddleware}. */
export interface SchemeMiddlewareOptions {
  /** The provider of a scheme, asked for each scheme use an operation's requirement lists, at construction. */
  resolve: ProviderResolver;
  /** What {@link SchemeUse.serverUrl} carries (relative scheme URLs resolve against it). */
  serverUrl?: string | undefined;
  /** Pino-shaped logger; silent by default. Never sees a credential or a URL. */
  logger?: Logger | undefined;
  /**
   * Called for an operation no alternative of which can be applied (and no `{}`), and for one the
   * map does not list (`plan` undefined): throw to refuse it before the network (`createSpecAuth`:
   * 40106 naming operation and scheme, ./refuse.ts). Absent, such a call is sent without
   * credentials and the API answers, and an operation the map does not list needs any bearer,
   * else basic, scheme the map declares (what `AblyAuth` and `MetquayAuth.middlewareFor` always
   * did).
   */
  onUnmet?: ((method: string, schemaPath: string, plan: OperationPlan | undefined) => void) | undefined;
}

/**
 * The engine: openapi-fetch middleware that authenticates each operation as its requirement says.
 *
 * - `security: []`: nothing is sent. Otherwise the first alternative, in spec order, whose every
 *   scheme has a provider that is available; each of its schemes is applied (AND). None: `{}`
 *   sends nothing, else `onUnmet` may refuse the call before the network.
 * - A scheme the chosen alternative does not list is never applied.
 * - After a response a provider calls a rejection: that provider renews, every scheme of the
 *   alternative is applied again to the copy taken before the first send, and it is sent once
 *   more (a stream body is not: {@link RequestNotReplayableError}).
 *
 * Register it last, as {@link createAuthMiddleware}.
 */
export function createSchemeMiddleware(security: SpecSecurityMap, options: SchemeMiddlewareOptions): Middleware {
  const { onUnmet } = options;
  const lookup = compilePlans(security, options.resolve, options.serverUrl, !onUnmet);
  // Its messages and fields (method, schema path, status) carry no secret to redact.
  const log = options.logger ?? silentLogger;

  /** Apart from `onResponse`, so an answer no provider rejects makes no closure. */
  const retryIfRejected = async (
    answers: readonly (boolean | Promise<boolean>)[],
    request: Request,
    response: Response,
    alternative: PlannedAlternative,
    schemaPath: string,
    fetch: typeof globalThis.fetch,
  ) => {
    const rejected = await Promise.all(answers);
    if (!rejected.some(Boolean)) return undefined;
    const { providers, uses } = alternative;
    for (let i = 0; i < rejected.length; i++) {
      if (rejected[i]) await providers[i]!.renew?.(uses[i]!, request);
    }
    return resendOnce(request, response, schemaPath, fetch, log, (copy) => applyAll(copy, alternative, 0));
  };

  return {
    onRequest({ request, schemaPath }) {
      const plan = lookup(request.method, schemaPath);
      const alternative = plan === null || plan === undefined ? undefined : choose(plan);
      if (alternative === undefined) {
        if (plan !== null && !plan?.optional) onUnmet?.(request.method, schemaPath, plan);
        keepReplayCopy(request);
        return undefined;
      }
      return applyAll(request, alternative, 0, request);
    },
    onResponse({ request, response, schemaPath, options: clientOptions }) {
      const plan = lookup(request.method, schemaPath);
      const alternative = plan && choose(plan);
      if (!alternative) return undefined;
      const { providers, uses } = alternative;
      // Nothing is allocated unless a provider calls the answer a rejection.
      let answers: (boolean | Promise<boolean>)[] | undefined;
      for (let i = 0; i < providers.length; i++) {
        const answer = providers[i]!.isRejection?.(response, uses[i]!) ?? false;
        if (answer !== false) (answers ??= providers.map(() => false))[i] = answer;
      }
      return answers && retryIfRejected(answers, request, response, alternative, schemaPath, clientOptions.fetch);
    },
  };
}

/** The first alternative whose providers are all available now. */
function choose(plan: OperationPlan): PlannedAlternative | undefined {
  const { alternatives } = plan;
  for (let a = 0; a < alternatives.length; a++) {
    const alternative = alternatives[a]!;
    const { providers, uses } = alternative;
    let ready = true;
    for (let i = 0; i < providers.length && ready; i++) ready = providers[i]!.available?.(uses[i]!) ?? true;
    if (ready) return alternative;
  }
  return undefined;
}

/**
 * Applies schemes `from`… of `alternative` in order to `request`; the Request to send (`request`,
 * or the last one a provider returned). Given the `original` request of `onRequest`, keeps its
 * replay copy and answers as `onRequest` does ({@link kept}). Synchronous while every provider is;
 * no closure is made on the synchronous path, so the warm path allocates nothing.
 */
function applyAll(request: Request, alternative: PlannedAlternative, from: number, original?: Request): Request | undefined | Promise<Request | undefined> {
  const { providers, uses } = alternative;
  for (let i = from; i < providers.length; i++) {
    const result = providers[i]!.apply(request, uses[i]!);
    // Most providers set a header and return nothing: no class checks on that path.
    if (result === undefined) continue;
    if (result instanceof Promise) return continueAfter(result, request, alternative, i + 1, original);
    if (result instanceof Request) request = result;
  }
  return original ? kept(original, request) : request;
}

/** Apart from `applyAll`, so its synchronous path makes no closure. */
async function continueAfter(pending: Promise<void | Request>, request: Request, alternative: PlannedAlternative, next: number, original: Request | undefined): Promise<Request | undefined> {
  const result = await pending;
  return applyAll(result instanceof Request ? result : request, alternative, next, original);
}

/** Keeps the replay copy of `next`, what will be sent; `onRequest`'s answer: `next` when it replaced `original`. */
function kept(original: Request, next: Request): Request | undefined {
  keepReplayCopy(next);
  return next === original ? undefined : next;
}

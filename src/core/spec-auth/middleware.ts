import type { Middleware } from 'openapi-fetch';
import { createRedactingLogger, type Logger } from '../logger';
import { keepReplayCopy } from '../replay';
import { resendOnce } from '../resend';
import { compilePlans, type CompileOptions, type OperationPlan, type PlannedAlternative } from './compile';
import type { SpecSecurityMap } from './types';

/** Options of {@link createSchemeMiddleware}. */
export interface SchemeMiddlewareOptions extends CompileOptions {
  /** Pino-shaped logger; silent by default. Never sees a credential or a URL. */
  logger?: Logger | undefined;
  /**
   * Called for an operation no alternative of which can be applied (and no `{}`): throw to refuse
   * it before the network (`createSpecAuth`: 40106 naming operation and scheme, ./refuse.ts).
   * Absent, it is sent without credentials and the API answers (what `AblyAuth` and
   * `MetquayAuth.middlewareFor` always did).
   */
  onUnmet?: ((plan: OperationPlan) => void) | undefined;
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
  const lookup = compilePlans(security, options);
  const log = createRedactingLogger(options.logger, () => []);
  const { onUnmet } = options;

  const retry = async (request: Request, response: Response, alternative: PlannedAlternative, rejected: readonly boolean[], schemaPath: string, fetch: typeof globalThis.fetch) => {
    for (let i = 0; i < rejected.length; i++) {
      if (rejected[i]) await alternative.providers[i]!.renew?.(alternative.uses[i]!, request);
    }
    return resendOnce(request, response, schemaPath, fetch, log, async (copy) => (await applyAll(copy, alternative, 0, false)) ?? copy);
  };

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
    return rejected.some(Boolean) ? retry(request, response, alternative, rejected, schemaPath, fetch) : undefined;
  };

  return {
    onRequest({ request, schemaPath }) {
      const plan = lookup(request.method, schemaPath);
      const alternative = plan === null ? undefined : choose(plan);
      if (alternative === undefined) {
        if (plan !== null && !plan.optional) onUnmet?.(plan);
        // No auth, but a 429 retry (core's replay) may still need to send the body again.
        keepReplayCopy(request);
        return undefined;
      }
      const applied = applyAll(request, alternative, 0, false);
      if (applied === undefined) {
        keepReplayCopy(request);
        return undefined;
      }
      return applied instanceof Promise ? keptLater(request, applied) : kept(request, applied);
    },
    onResponse({ request, response, schemaPath, options: clientOptions }) {
      const plan = lookup(request.method, schemaPath);
      const alternative = plan === null ? undefined : choose(plan);
      if (alternative === undefined) return undefined;
      const { providers, uses } = alternative;
      if (providers.length === 1) {
        // The common case: one scheme; nothing is allocated unless it was rejected.
        const answer = providers[0]!.isRejection?.(response, uses[0]!) ?? false;
        if (answer === false) return undefined;
        return retryIfRejected([answer], request, response, alternative, schemaPath, clientOptions.fetch);
      }
      const answers = providers.map((provider, i) => provider.isRejection?.(response, uses[i]!) ?? false);
      if (answers.every((answer) => answer === false)) return undefined;
      return retryIfRejected(answers, request, response, alternative, schemaPath, clientOptions.fetch);
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
 * Applies schemes `from`… of `alternative` in order to `request`; the last Request any of them
 * returned (or undefined). Synchronous while every provider is. No closure is made on the
 * synchronous path, so the warm path allocates nothing.
 */
function applyAll(request: Request, alternative: PlannedAlternative, from: number, replaced: boolean): Request | undefined | Promise<Request | undefined> {
  const { providers, uses } = alternative;
  let current = request;
  for (let i = from; i < providers.length; i++) {
    const result = providers[i]!.apply(current, uses[i]!);
    // Most providers set a header and return nothing: no class checks on that path.
    if (result === undefined) continue;
    if (result instanceof Promise) return continueAfter(result, current, alternative, i + 1, replaced);
    if (result instanceof Request) {
      current = result;
      replaced = true;
    }
  }
  return replaced ? current : undefined;
}

async function continueAfter(pending: Promise<void | Request>, current: Request, alternative: PlannedAlternative, next: number, replaced: boolean): Promise<Request | undefined> {
  const result = await pending;
  return result instanceof Request ? applyAll(result, alternative, next, true) : applyAll(current, alternative, next, replaced);
}

function kept(original: Request, next: Request | undefined): Request | undefined {
  keepReplayCopy(next ?? original);
  return next;
}

async function keptLater(original: Request, pending: Promise<Request | undefined>): Promise<Request | undefined> {
  return kept(original, await pending);
}

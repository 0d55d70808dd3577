import type { FastifyInstance, FastifyReply, FastifyRequest, RouteOptions } from 'fastify';

/** One security requirement as a spec writes it: scheme name to the scopes it needs; every scheme named is needed (AND). */
export type Requirement = Readonly<Record<string, readonly string[]>>;

/** An operation's `security`: any one requirement will do (OR). `[]` is open; a `{}` among them makes auth optional. */
export type SecurityRequirements = readonly Requirement[];

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The operation's `security` from its spec; the routes' {@link authHook} compiles it when the route is added. */
    securityRequirements?: SecurityRequirements;
  }
}

/** One scheme's verdict on a request: undefined when met, else the refusal its rules answer with. */
export type SchemeCheck<Refusal> = (request: FastifyRequest) => Refusal | undefined | Promise<Refusal | undefined>;

/**
 * A provider's auth rules: how each security scheme of its spec is verified, and how a refusal is
 * answered. Checks run once per request, compiled per route when the route is added.
 *
 * A check that passes may record who the request acts as on the request (Ably puts its principal
 * on `request.ablyAuth`). A check may also throw: the error goes to the route's error handler,
 * which answers in the API's envelope; Ably's rules do so, as each of its errors names the problem.
 */
export interface AuthRules<Refusal> {
  /** By scheme name: builds the check of one requirement's scopes (called at registration). */
  schemes: Readonly<Record<string, (scopes: readonly string[]) => SchemeCheck<Refusal>>>;
  /** How serious a refusal is; when no alternative passes, the most serious one is answered (the first of equals). */
  rank(refusal: Refusal): number;
  /**
   * Answers a refusal: sends it on `reply`, or throws it. `challenges` are the `WWW-Authenticate`
   * challenges of every scheme the operation accepts (see {@link AuthRules.challengeOf}).
   */
  refuse(refusal: Refusal, reply: FastifyReply, challenges: readonly string[]): FastifyReply | Promise<FastifyReply>;
  /** The bare `WWW-Authenticate` challenge of a scheme, if it has one. */
  challengeOf?(schemeName: string): string | undefined;
  /**
   * When the checks run: `onRequest` (default; before the body is read or the request validated,
   * so a refusal comes before a 400) or `preHandler` (after validation, so a 400 comes first).
   */
  phase?: 'onRequest' | 'preHandler';
}

/** A route's compiled security, as the hook that runs it. */
export type AuthCheck = (request: FastifyRequest, reply: FastifyReply) => Promise<FastifyReply | undefined>;

/**
 * Compiles an operation's requirements against a provider's rules: any alternative (OR) whose
 * every check (AND) passes admits the request. Undefined when nothing needs checking: `[]`, or a
 * `{}` alternative (auth optional; an operation like Ably's `requestToken` checks what it got itself).
 *
 * @throws {Error} naming the scheme when the rules have no verifier for it: a spec the server cannot
 * guard is not served.
 */
export function compileSecurity<Refusal>(requirements: SecurityRequirements, rules: AuthRules<Refusal>, operation = 'an operation'): AuthCheck | undefined {
  // A YAML spec can hold `- null`, which says no more than `{}`.
  if (requirements.length === 0 || requirements.some((requirement) => Object.keys(requirement ?? {}).length === 0)) return undefined;
  const challenges = new Set<string>();
  const alternatives = requirements.map((requirement) =>
    Object.entries(requirement ?? {}).map(([name, scopes]) => {
      const verifier = rules.schemes[name];
      if (verifier === undefined) throw new Error(`${operation} requires security scheme "${name}", which this server has no rules for`);
      const challenge = rules.challengeOf?.(name);
      if (challenge !== undefined) challenges.add(challenge);
      return verifier(scopes ?? []);
    }),
  );
  const challengeList = [...challenges];
  const first = alternatives[0]!;
  const only = first.length === 1 && alternatives.every((checks) => checks.length === 1 && checks[0] === first[0]) ? first[0] : undefined;
  if (only !== undefined) {
    // The common shape (one scheme, or rules that check every scheme alike): no loops.
    return async (request, reply) => {
      const refusal = await only(request);
      return refusal === undefined ? undefined : rules.refuse(refusal, reply, challengeList);
    };
  }
  return async (request, reply) => {
    let worst: Refusal | undefined;
    let worstRank = Number.NEGATIVE_INFINITY;
    for (const checks of alternatives) {
      let failed: Refusal | undefined;
      let failedRank = Number.NEGATIVE_INFINITY;
      for (const check of checks) {
        let outcome = check(request);
        if (outcome instanceof Promise) outcome = await outcome;
        if (outcome === undefined) continue;
        const rank = rules.rank(outcome);
        if (failed === undefined || rank > failedRank) {
          failed = outcome;
          failedRank = rank;
        }
      }
      if (failed === undefined) return undefined;
      if (worst === undefined || failedRank > worstRank) {
        worst = failed;
        worstRank = failedRank;
      }
    }
    return rules.refuse(worst!, reply, challengeList);
  };
}

/**
 * The one auth hook of routes registered by hand (the sandbox controls): for every route added
 * after it in this plugin (and its children) whose `config.securityRequirements` needs
 * credentials, compiles them against `rules` once, and runs the check as the route's first hook
 * of the rules' phase. Routes without requirements, or open ones, get no hook at all; nothing is
 * looked up per request. (`serveOperations` attaches the same checks to the routes it adds.)
 */
export function authHook<Refusal>(app: FastifyInstance, rules: AuthRules<Refusal>): void {
  app.addHook('onRoute', (route: RouteOptions) => {
    const requirements = route.config?.securityRequirements;
    if (requirements === undefined) return;
    const check = compileSecurity(requirements, rules, `${route.method.toString()} ${route.url}`);
    if (check !== undefined) attachCheck(route, check, rules.phase);
  });
}

/** Makes `check` the route's first hook of `phase` (default `onRequest`). */
export function attachCheck(route: RouteOptions, check: AuthCheck, phase: AuthRules<unknown>['phase'] = 'onRequest'): void {
  if (phase === 'onRequest') route.onRequest = [check, ...hooksOf(route.onRequest)];
  else route.preHandler = [check, ...hooksOf(route.preHandler)];
}

/** A route's hooks of one kind as an array (Fastify takes one, an array or none). */
export function hooksOf<Hook>(hooks: Hook | Hook[] | undefined): Hook[] {
  return hooks === undefined ? [] : Array.isArray(hooks) ? hooks : [hooks];
}

import type { AuthRules, SchemeCheck } from '../operations/security';
import type { SecuritySchemeObject } from '../../generate/document';
import type { ServerClock } from '../clock';
import { constantTimeEqual } from '../lib/constant-time';
import { verifyWith, type TokenAuthority, type TokenVerdict } from './authority';
import type { SpecServerConfig } from './config';

/** How one scheme of a requirement judged a request. */
type Outcome = undefined | SpecRefusal;

/** Why a request was refused, most serious last: no credential < a bad one < one lacking scope. */
export interface SpecRefusal {
  rank: 1 | 2 | 3;
  status: 401 | 403;
  error: 'unauthorized' | 'invalid_token' | 'insufficient_scope';
  message: string;
  /** A `WWW-Authenticate` challenge, when the scheme has one. */
  challenge?: string;
}

type Check = SchemeCheck<SpecRefusal>;

/** What the checks read: the config, the token authorities and the server clock. */
export interface SecurityContext {
  config: SpecServerConfig;
  authorities: readonly TokenAuthority[];
  clock: ServerClock;
}

const BASIC_CHALLENGE = 'Basic realm="tokensmith", charset="UTF-8"';

/**
 * The auth rules of one served spec, for every scheme it declares: bearer tokens (`http bearer`,
 * `oauth2`, `openIdConnect`) must be ones an authority issued, unexpired, unrevoked and carrying
 * the requirement's scopes; Basic users and API keys come from the config. A scheme tokensmith
 * cannot check (`mutualTLS`, an `http` scheme other than basic or bearer) never passes, so only
 * the alternatives without it can. Checked on request, before anything is parsed.
 *
 * A refusal is answered as RFC 6750 §3 says: 401 with a bare challenge per scheme the operation
 * accepts when no credential was sent, 401 `invalid_token` for a bad, expired or revoked token,
 * 403 `insufficient_scope` with the `scope` needed.
 */
export function specAuthRules(schemes: Readonly<Record<string, SecuritySchemeObject>>, context: SecurityContext): AuthRules<SpecRefusal> {
  const verifiers: Record<string, (scopes: readonly string[]) => Check> = {};
  const challenges: Record<string, string | undefined> = {};
  for (const [name, scheme] of Object.entries(schemes)) {
    verifiers[name] = (scopes) => checkFor(name, scheme, scopes, context).run;
    challenges[name] = checkFor(name, scheme, [], context).challenge;
  }
  return {
    phase: 'onRequest',
    schemes: verifiers,
    challengeOf: (name) => challenges[name],
    rank: (refusal) => refusal.rank,
    refuse: (refusal, reply, bare) => {
      const sent = refusal.rank === 1 ? bare : refusal.challenge ? [refusal.challenge] : [];
      if (sent.length > 0) reply.header('www-authenticate', sent.length === 1 ? sent[0] : sent);
      return reply.code(refusal.status).send({ code: refusal.status, error: refusal.error, message: refusal.message });
    },
  };
}

function missing(message: string): SpecRefusal {
  return { rank: 1, status: 401, error: 'unauthorized', message };
}

function checkFor(name: string, scheme: SecuritySchemeObject, scopes: readonly string[], context: SecurityContext): { run: Check; challenge?: string } {
  const type = scheme.type;
  const httpScheme = scheme.scheme?.toLowerCase();
  if (type === 'oauth2' || type === 'openIdConnect' || (type === 'http' && httpScheme === 'bearer')) {
    return { run: bearerCheck(name, scopes, context), challenge: 'Bearer' };
  }
  if (type === 'http' && httpScheme === 'basic') return { run: basicCheck(name, context), challenge: BASIC_CHALLENGE };
  if (type === 'apiKey' && scheme.name && (scheme.in === 'header' || scheme.in === 'query' || scheme.in === 'cookie')) {
    return { run: apiKeyCheck(name, scheme.name, scheme.in, context) };
  }
  const refusal = missing(`security scheme "${name}" (${type}${httpScheme ? ` ${httpScheme}` : ''}) cannot be met on this server`);
  return { run: () => refusal };
}

function bearerCheck(name: string, scopes: readonly string[], context: SecurityContext): Check {
  const needed = [...scopes];
  const lacking: SpecRefusal = {
    rank: 3,
    status: 403,
    error: 'insufficient_scope',
    message: `the token lacks a scope "${name}" requires: ${needed.join(' ')}`,
    challenge: `Bearer error="insufficient_scope", scope="${needed.join(' ').replace(/["\\]/g, '')}"`,
  };
  const noToken = missing(`a bearer token is required ("${name}")`);
  return (request) => {
    const token = bearerToken(request.headers.authorization);
    if (token === undefined) return noToken;
    const verdict = verifyWith(context.authorities, token, context.clock.now());
    return verdict instanceof Promise ? verdict.then(judge) : judge(verdict);
  };
  function judge(verdict: TokenVerdict): Outcome {
    if (!verdict.valid) {
      const description = verdict.reason === 'unknown' ? 'the token was not issued by this server' : `the token is ${verdict.reason}`;
      return { rank: 2, status: 401, error: 'invalid_token', message: description, challenge: `Bearer error="invalid_token", error_description="${description}"` };
    }
    for (const scope of needed) if (!verdict.scopes.includes(scope)) return lacking;
    return undefined;
  }
}

function bearerToken(header: string | undefined): string | undefined {
  if (header === undefined || header.length < 8 || header.slice(0, 7).toLowerCase() !== 'bearer ') return undefined;
  const token = header.slice(7).trim();
  return token === '' ? undefined : token;
}

function basicCheck(name: string, context: SecurityContext): Check {
  const users = context.config.basicUsers.filter((user) => user.scheme === undefined || user.scheme === name);
  const noCredentials = missing(`HTTP Basic credentials are required ("${name}")`);
  const wrong: SpecRefusal = { rank: 2, status: 401, error: 'unauthorized', message: `the Basic credentials are not valid ("${name}")`, challenge: BASIC_CHALLENGE };
  return (request) => {
    const header = request.headers.authorization;
    if (header === undefined || header.slice(0, 6).toLowerCase() !== 'basic ') return noCredentials;
    const decoded = Buffer.from(header.slice(6).trim(), 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) return wrong;
    const username = decoded.slice(0, colon);
    const password = decoded.slice(colon + 1);
    let matched = false;
    for (const user of users) if (constantTimeEqual(user.username, username) && constantTimeEqual(user.password, password)) matched = true;
    return matched ? undefined : wrong;
  };
}

function apiKeyCheck(name: string, parameter: string, location: 'header' | 'query' | 'cookie', context: SecurityContext): Check {
  const keys = context.config.apiKeys.filter((key) => key.scheme === undefined || key.scheme === name).map((key) => key.key);
  const where = `${location} "${parameter}"`;
  const noKey = missing(`an API key is required in the ${where} ("${name}")`);
  const wrong: SpecRefusal = { rank: 2, status: 401, error: 'unauthorized', message: `the API key in the ${where} is not valid ("${name}")` };
  const header = parameter.toLowerCase();
  return (request) => {
    const value = location === 'header'
      ? request.headers[header]
      : location === 'query'
        ? (request.query as Record<string, unknown> | undefined)?.[parameter]
        : cookieValue(request.headers.cookie, parameter);
    if (typeof value !== 'string' || value === '') return noKey;
    let matched = false;
    for (const key of keys) if (constantTimeEqual(key, value)) matched = true;
    return matched ? undefined : wrong;
  };
}

function cookieValue(header: string | undefined, name: string): string | undefined {
  if (header === undefined) return undefined;
  for (const part of header.split(';')) {
    const index = part.indexOf('=');
    if (index > 0 && part.slice(0, index).trim() === name) {
      const raw = part.slice(index + 1).trim();
      try {
        return decodeURIComponent(raw);
      } catch {
        return raw;
      }
    }
  }
  return undefined;
}

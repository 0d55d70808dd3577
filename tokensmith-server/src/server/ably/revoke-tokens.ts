import type { AblyComponents } from 'tokensmith';
import { TokensmithError } from 'tokensmith';
import type { Principal } from './principal';
import type { RevocationTargetType } from './revocations';
import type { AblyServerState } from './state';

type Schemas = AblyComponents['schemas'];

const TARGET_TYPES: ReadonlySet<string> = new Set<RevocationTargetType>(['clientId', 'revocationKey', 'channel']);

function isTargetType(type: string): type is RevocationTargetType {
  return TARGET_TYPES.has(type);
}
const REAUTH_MARGIN_MS = 30_000;
const OLDEST_ISSUED_BEFORE_MS = 60 * 60_000;

/**
 * `POST /keys/{keyName}/revokeTokens` [RSA17]. Refused as a whole: token auth 40162, another key
 * than the path's 40133, a key without revocable tokens 40164, `issuedBefore` in the future or
 * more than an hour back 40003. Otherwise each target succeeds or fails on its own: a malformed
 * specifier fails with 40000, a full revocation list with 42910.
 */
export function revokeTokens(state: AblyServerState, principal: Principal, pathKeyName: string, body: Schemas['RevokeTokensRequest']): Schemas['TokenRevocationBatchResult'] {
  if (principal.kind !== 'basic') throw new TokensmithError(40162, 'revokeTokens needs Basic auth with the key that issued the tokens');
  if (principal.keyName !== pathKeyName) throw new TokensmithError(40133, 'tokens can only be revoked with the key that issued them', { statusCode: 401 });
  if (!state.keys.get(pathKeyName)?.revocableTokens) throw new TokensmithError(40164, 'this key does not have revocable tokens enabled');
  const now = state.clock.now();
  const issuedBefore = body.issuedBefore ?? now;
  if (issuedBefore > now) throw new TokensmithError(40003, 'body.issuedBefore must not be in the future');
  if (issuedBefore < now - OLDEST_ISSUED_BEFORE_MS) throw new TokensmithError(40003, 'body.issuedBefore must be within the last hour');
  const appliesAt = body.allowReauthMargin === true ? now + REAUTH_MARGIN_MS : now;
  const results = body.targets.map((target): Schemas['TokenRevocationBatchResult']['results'][number] => {
    const colon = target.indexOf(':');
    const type = target.slice(0, Math.max(colon, 0));
    const value = target.slice(colon + 1);
    if (colon <= 0 || value === '' || !isTargetType(type)) {
      return { target, error: failure(40000, 'target must be "clientId:<id>", "revocationKey:<key>" or "channel:<name>"') };
    }
    const added = state.revocations.add({ keyName: pathKeyName, type, value, issuedBefore, appliesAt }, now);
    if (!added) return { target, error: failure(42910, 'too many revocations in force; try again once older ones lapse') };
    return { target, appliesAt, issuedBefore };
  });
  const failureCount = results.filter((result) => 'error' in result).length;
  return { successCount: results.length - failureCount, failureCount, results };
}

function failure(code: number, message: string): Schemas['ErrorInfo'] {
  const error = new TokensmithError(code, message);
  return { message, code, statusCode: error.statusCode, href: `https://help.ably.io/error/${code}` };
}

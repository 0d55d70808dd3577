import { InvalidArgumentError } from '../core/errors';
import { canonicalCapability } from './capability';
import type { TokenParams } from './types';

/**
 * Checks of TokenParams shared by createTokenRequest, requestToken and authorize.
 */

/** Shortest nonce accepted: at least 16 characters, as Ably requires. */
export const MIN_NONCE_LENGTH = 16;

/** TokenParams with the capability in canonical JSON text and every field checked. */
export type NormalisedTokenParams = Omit<TokenParams, 'capability'> & { capability?: string };

/**
 * Validates `params` and returns a copy with the capability canonicalised; absent and empty
 * fields are left out.
 *
 * @throws {ConfigurationError} 40012 for a clientId that is empty or not a string; 40003 for a
 * ttl or timestamp that is not a non-negative integer, a short nonce or an invalid capability.
 */
export function normaliseTokenParams(params: Readonly<TokenParams> | undefined): NormalisedTokenParams {
  if (params === undefined || params === null) return {};
  if (typeof params !== 'object') throw new InvalidArgumentError(40003, '"tokenParams" must be an object');
  const result: NormalisedTokenParams = {};
  if (params.ttl !== undefined && params.ttl !== null) result.ttl = checkInteger(params.ttl, 'ttl');
  if (params.capability !== undefined && params.capability !== null && params.capability !== '') {
    result.capability = canonicalCapability(params.capability);
  }
  if (params.clientId !== undefined && params.clientId !== null) {
    if (typeof params.clientId !== 'string') throw new InvalidArgumentError(40012, '"clientId" must be a string');
    if (params.clientId === '') throw new InvalidArgumentError(40012, '"clientId" must not be an empty string; omit it for an anonymous token');
    result.clientId = params.clientId;
  }
  if (params.timestamp !== undefined && params.timestamp !== null) result.timestamp = checkInteger(params.timestamp, 'timestamp');
  if (params.nonce !== undefined && params.nonce !== null) {
    if (typeof params.nonce !== 'string' || params.nonce.length < MIN_NONCE_LENGTH) {
      throw new InvalidArgumentError(40003, `"nonce" must be a string of at least ${MIN_NONCE_LENGTH} characters`);
    }
    result.nonce = params.nonce;
  }
  return result;
}

function checkInteger(value: unknown, name: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw new InvalidArgumentError(40003, `"${name}" must be a non-negative integer of milliseconds`);
  }
  return value;
}

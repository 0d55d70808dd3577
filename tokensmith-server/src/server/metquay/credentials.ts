import { createHash, timingSafeEqual } from 'node:crypto';
import type { MetquayClientCredentials } from './config';

/**
 * Finds the client whose access and secret key both match, comparing against every client in
 * constant time so neither timing nor the answer tells an attacker which access keys exist.
 */
export function findClient(
  clients: readonly MetquayClientCredentials[],
  accessKey: string,
  secretKey: string,
): MetquayClientCredentials | undefined {
  let found: MetquayClientCredentials | undefined;
  for (const client of clients) {
    const accessMatches = constantTimeEqual(client.accessKey, accessKey);
    const secretMatches = constantTimeEqual(client.secretKey, secretKey);
    if (accessMatches && secretMatches && found === undefined) found = client;
  }
  return found;
}

/**
 * Constant-time string comparison. On a length mismatch it still compares (the input with itself)
 * so the time taken does not depend on where, or whether, the strings differ.
 */
export function constantTimeEqual(expected: string, actual: string): boolean {
  // Hashing first gives equal-length inputs whatever the strings' lengths are.
  const a = createHash('sha256').update(expected, 'utf8').digest();
  const b = createHash('sha256').update(actual, 'utf8').digest();
  const sameLength = expected.length === actual.length;
  const equal = timingSafeEqual(sameLength ? a : b, b);
  return sameLength && equal;
}

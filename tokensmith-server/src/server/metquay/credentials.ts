import { constantTimeEqual } from '../lib/constant-time';
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

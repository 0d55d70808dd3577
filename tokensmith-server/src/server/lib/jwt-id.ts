import { decodeJwt } from 'jose';

/** The `jti` claim of a JWT, read without verifying it; undefined when absent or not a JWT. */
export function jtiOf(token: string): string | undefined {
  try {
    const { jti } = decodeJwt(token);
    return typeof jti === 'string' ? jti : undefined;
  } catch {
    return undefined;
  }
}

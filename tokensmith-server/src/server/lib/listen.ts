import type { FastifyInstance } from 'fastify';
import { ConfigurationError } from 'tokensmith';

/** `host:port` as it would appear in a URL (an IPv6 host in brackets). */
export function addressText(host: string, port: number): string {
  return `${host.includes(':') ? `[${host}]` : host}:${port}`;
}

/**
 * Starts listening. On failure the app is closed; when the system refused the address, throws a {@link ConfigurationError}
 * (40003) that names it and the reason, with the system error as `cause`. Other failures pass
 * through unchanged.
 */
export async function listenOn(app: FastifyInstance, host: string, port: number): Promise<void> {
  try {
    await app.listen({ host, port });
  } catch (error) {
    await app.close().catch(() => undefined); // nothing of the failed start stays open
    const reason = refusalReason((error as NodeJS.ErrnoException).code, port);
    if (reason === undefined) throw error;
    throw new ConfigurationError(40003, `address ${addressText(host, port)} ${reason}`, { cause: error });
  }
}

function refusalReason(code: string | undefined, port: number): string | undefined {
  switch (code) {
    case 'EADDRINUSE':
      return 'is in use';
    case 'EACCES':
      return port < 1024 ? 'needs privileges (ports below 1024)' : 'is not allowed for this user';
    case 'EADDRNOTAVAIL':
      return 'is not an address of this machine';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'does not resolve to an address';
    default:
      return undefined;
  }
}

import type { FastifyInstance } from 'fastify';
import type { SkewableClock } from './clock';
import type { ResolvedServerConfig } from './config';
import type { ServerLogger } from './logger';
import { metquayPlugin, MetquayServerState } from './metquay';

/** What the Metquay side shares with the rest of the server. */
export interface MetquayMount {
  /** Clears its tokens marks and rate-limit counts (the `/_admin/reset` control calls it). */
  reset(): void;
}

/**
 * Mounts the Metquay plugin under `/api/v1` with the shared clock, logger and admin flag. The
 * global hooks (fault injection, request log) and limits registered on the root apply to it too.
 */
export async function registerMetquay(
  app: FastifyInstance,
  options: { config: ResolvedServerConfig['metquay']; clock: SkewableClock; logger: ServerLogger; admin: boolean },
): Promise<MetquayMount> {
  const state = new MetquayServerState(options.config, options.clock);
  await app.register(metquayPlugin, {
    prefix: '/api/v1',
    config: options.config,
    clock: options.clock,
    logger: options.logger,
    admin: options.admin,
    state,
  });
  return { reset: () => state.reset() };
}

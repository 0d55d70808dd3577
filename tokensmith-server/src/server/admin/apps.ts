import type { FastifyPluginAsync } from 'fastify';
import { canonicalCapability, parseCapability, TokensmithError } from 'tokensmith';
import type { AblyApps } from '../ably/apps';
import { authenticate, basicKeyName } from '../ably/authenticate';
import { assertValidCapability, type CapabilityMap } from '../ably/capability-rules';
import { responseFormat, sendWire } from '../lib/wire';

/** Options of {@link appsRoutes}. */
export interface AppsRoutesOptions {
  apps: AblyApps;
}

/** One key of a `POST /apps` body, as Ably's sandbox takes it (other fields are accepted and ignored). */
interface AppKeySpec {
  capability?: string;
  revocableTokens?: boolean;
}

/** One namespace of a `POST /apps` body. */
interface NamespaceSpec {
  id: string;
  persisted?: boolean;
  pushEnabled?: boolean;
}

const MAX_KEYS = 32;

// Sandbox bodies carry more (limits, channels with presence fixtures, notes): accepted, ignored.
const provisionSchema = {
  body: {
    type: 'object',
    properties: {
      keys: {
        type: 'array',
        maxItems: MAX_KEYS,
        items: {
          type: 'object',
          properties: { capability: { type: 'string', maxLength: 8192 }, revocableTokens: { type: 'boolean' } },
        },
      },
      namespaces: {
        type: 'array',
        maxItems: 64,
        items: {
          type: 'object',
          required: ['id'],
          properties: { id: { type: 'string', minLength: 1, maxLength: 256 }, persisted: { type: 'boolean' }, pushEnabled: { type: 'boolean' } },
        },
      },
    },
  },
} as const;

/**
 * `POST /apps` and `DELETE /apps/{appId}`: what Ably's SDK test harnesses call on the sandbox to
 * get a fresh app (mounted only with the test controls on). The body is the sandbox's: `keys`
 * (each an optional `capability` JSON string, default `{"*":["*"]}`, and `revocableTokens`) and
 * `namespaces`; a body without keys gets one full-access key. The answer (201) is the sandbox's
 * shape: `appId`, `accountId` and `keys` with `keyName`, `keySecret`, `keyStr`, `capability`.
 * Deleting needs Basic auth with one of the app's keys (as the harnesses send it).
 */
export const appsRoutes: FastifyPluginAsync<AppsRoutesOptions> = async (app, { apps }) => {
  app.post('/apps', { schema: provisionSchema }, async (request, reply) => {
    const body = (request.body ?? {}) as { keys?: AppKeySpec[]; namespaces?: NamespaceSpec[] };
    const keys = (body.keys ?? [{}]).map((key, index) => ({
      capability: keyCapability(key.capability, index),
      revocableTokens: key.revocableTokens === true,
    }));
    const state = apps.provision(keys);
    if (!state) throw new TokensmithError(42910, 'too many apps; delete one with DELETE /apps/{appId} first', { statusCode: 429 });
    const appId = state.appId;
    reply.header('cache-control', 'no-store');
    return sendWire(reply, 201, {
      id: appId,
      appId,
      accountId: 'tokensmith',
      status: 0,
      tlsOnly: false,
      keys: state.config.keys.map((key) => ({
        id: key.keyName.slice(appId.length + 1),
        appId,
        keyName: key.keyName,
        keySecret: key.secret,
        keyStr: `${key.keyName}:${key.secret}`,
        value: key.secret,
        capability: canonicalCapability(key.capability),
        revocableTokens: key.revocableTokens,
        status: 0,
      })),
      namespaces: (body.namespaces ?? []).map((namespace) => ({
        id: namespace.id,
        persisted: namespace.persisted === true,
        pushEnabled: namespace.pushEnabled === true,
        status: 0,
      })),
      connections: [],
      channels: [],
    }, responseFormat(request));
  });

  app.delete('/apps/:appId', { schema: { params: { type: 'object', properties: { appId: { type: 'string', maxLength: 64 } } } } }, async (request, reply) => {
    const { appId } = request.params as { appId: string };
    const state = apps.forKeyName(basicKeyName(request.headers.authorization) ?? '');
    const principal = await authenticate(request, state);
    if (principal.kind !== 'basic' || state === apps.main || state.appId !== appId) {
      throw new TokensmithError(40100, 'deleting an app needs Basic auth with one of its own keys', { statusCode: 401 });
    }
    apps.remove(appId);
    return reply.code(204).send();
  });
};

function keyCapability(text: string | undefined, index: number): CapabilityMap {
  if (text === undefined) return { '*': ['*'] };
  try {
    const capability = parseCapability(text);
    assertValidCapability(capability, `body.keys[${index}].capability`);
    return capability;
  } catch (error) {
    throw new TokensmithError(40000, (error as Error).message.replace(/^capability/, `body.keys[${index}].capability`), { statusCode: 400 });
  }
}

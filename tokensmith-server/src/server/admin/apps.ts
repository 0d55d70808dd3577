import type { FastifyPluginAsync } from 'fastify';
import { canonicalCapability, parseCapability, TokensmithError } from 'tokensmith';
import type { AblyApps } from '../ably/apps';
import { ablyAuthOf, ablyAuthRules } from '../ably/auth-hook';
import { basicKeyName } from '../ably/authenticate';
import { assertValidCapability, type CapabilityMap } from '../ably/capability-rules';
import { responseFormat, sendWire } from '../lib/wire';
import { authHook, type SecurityRequirements } from '../operations/security';
import { fixtureEntries } from './stats-fixtures';

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
  mutableMessages?: boolean;
}

/** One channel of a `POST /apps` body: its presence fixtures. */
interface ChannelSpec {
  name: string;
  presence?: Array<{ clientId: string; data?: string; encoding?: string }>;
}

/** A `POST /apps` body, as its schema admits it. */
interface ProvisionBody {
  keys?: AppKeySpec[];
  namespaces?: NamespaceSpec[];
  channels?: ChannelSpec[];
}

const MAX_KEYS = 32;

// Sandbox bodies carry more (limits, notes): accepted, ignored.
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
          properties: {
            id: { type: 'string', minLength: 1, maxLength: 256 },
            persisted: { type: 'boolean' },
            pushEnabled: { type: 'boolean' },
            mutableMessages: { type: 'boolean' },
          },
        },
      },
      channels: {
        type: 'array',
        maxItems: 64,
        items: {
          type: 'object',
          required: ['name'],
          properties: {
            name: { type: 'string', minLength: 1, maxLength: 256 },
            presence: {
              type: 'array',
              maxItems: 250,
              items: {
                type: 'object',
                required: ['clientId'],
                properties: { clientId: { type: 'string', minLength: 1, maxLength: 256 }, data: { type: 'string', maxLength: 4096 }, encoding: { type: 'string', maxLength: 256 } },
              },
            },
          },
        },
      },
    },
  },
} as const;

// The sandbox's own controls take Basic auth with a key of the app they act on.
const SANDBOX_KEY: SecurityRequirements = [{ basicAuth: [] }];

const statsFixturesSchema = { body: { type: 'array', maxItems: 1000, items: { type: 'object' } } } as const;

/**
 * `POST /apps`, `DELETE /apps/{appId}` and `POST /stats`: what Ably's SDK test harnesses call on
 * the sandbox to get a fresh app and its stats fixtures (mounted only with the test controls on).
 * The body is the sandbox's: `keys` (each an optional `capability` JSON string, default
 * `{"*":["*"]}`, and `revocableTokens`), `namespaces`, and `channels` whose `presence` fixtures
 * become members present on that channel; a body without keys gets one full-access key. The answer
 * (201) is the sandbox's shape: `appId`, `accountId` and `keys` with `keyName`, `keySecret`,
 * `keyStr`, `capability`, plus the `endpoint`, `port` and `tls` a local-sandbox harness routes
 * clients to. Deleting needs Basic auth with one of the app's keys (as the harnesses send it);
 * the Ably auth rules check it before the handler, against the app the Basic key name belongs to.
 */
export const appsRoutes: FastifyPluginAsync<AppsRoutesOptions> = async (app, { apps }) => {
  app.decorateRequest('ablyAuth', null);
  authHook(app, ablyAuthRules((request) => apps.forKeyName(basicKeyName(request.headers.authorization) ?? '')));

  app.post<{ Body: ProvisionBody | undefined }>('/apps', { schema: provisionSchema }, async (request, reply) => {
    const body = request.body ?? {};
    const keys = (body.keys ?? [{}]).map((key, index) => ({
      capability: keyCapability(key.capability, index),
      revocableTokens: key.revocableTokens === true,
    }));
    const state = apps.provision(keys);
    if (!state) throw new TokensmithError(42910, 'too many apps; delete one with DELETE /apps/{appId} first', { statusCode: 429 });
    const appId = state.appId;
    for (const channel of body.channels ?? []) state.presence.seed(channel.name, channel.presence ?? [], state.clock.now());
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
        mutableMessages: namespace.mutableMessages === true,
        status: 0,
      })),
      connections: [],
      channels: (body.channels ?? []).map((channel) => ({ name: channel.name, presence: channel.presence ?? [] })),
      // Where a local-sandbox harness (ably-js ABLY_LOCAL_SANDBOX_URL) routes the app's clients: here.
      endpoint: request.hostname.replace(/:\d+$/, '').replace(/^\[(.*)\]$/, '$1') || '127.0.0.1',
      port: request.socket.localPort,
      tls: false,
    }, responseFormat(request));
  });

  // The sandbox's stats fixtures: each entry's counters are added to its minute.
  app.post<{ Body: Array<Record<string, unknown>> }>('/stats', { schema: statsFixturesSchema, config: { securityRequirements: SANDBOX_KEY } }, async (request, reply) => {
    const { state, principal } = ablyAuthOf(request);
    if (principal.kind !== 'basic' || state === apps.main) {
      throw new TokensmithError(40100, 'stats fixtures need Basic auth with a key of a provisioned app', { statusCode: 401 });
    }
    const fixtures = request.body.map(fixtureEntries);
    for (const { at, entries } of fixtures) state.stats.add(entries, at);
    return reply.code(201).send();
  });

  const appIdSchema = { params: { type: 'object', properties: { appId: { type: 'string', maxLength: 64 } } } } as const;
  app.delete<{ Params: { appId: string } }>('/apps/:appId', { schema: appIdSchema, config: { securityRequirements: SANDBOX_KEY } }, async (request, reply) => {
    const { appId } = request.params;
    const { state, principal } = ablyAuthOf(request);
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

import fc from 'fast-check';
import { base64FromUtf8 } from '../../src/core/base64';
import { AuthProviderError, TokensmithError, redact, redactor } from '../../src/core/errors';
import { createRedactingLogger } from '../../src/core/logger';
import { TokenManager } from '../../src/core/token-manager';
import { inspect } from 'node:util';
import createClient from 'openapi-fetch';
import { ApiKeyCredential } from '../../src/core/spec-auth/api-key';
import { BasicCredential } from '../../src/core/spec-auth/basic';
import { BearerCredential } from '../../src/core/spec-auth/bearer';
import { createSpecAuth } from '../../src/core/spec-auth/create';

/** Every form a secret takes on the wire: raw, base64 (Basic/Bearer headers), unpadded, URL-encoded. */
function forms(secret: string): string[] {
  const base64 = base64FromUtf8(secret);
  return [secret, base64, base64.replace(/=+$/, ''), encodeURIComponent(secret)];
}

const secretArb = fc.oneof(
  fc.string({ minLength: 8, maxLength: 48 }),
  fc.string({ minLength: 8, maxLength: 48, unit: 'grapheme' }),
  fc.base64String({ minLength: 8, maxLength: 64 }),
  fc.stringMatching(/^[A-Za-z0-9_-]{8,40}\.[A-Za-z0-9_-]{8,40}:[A-Za-z0-9+/=]{8,40}$/),
  // Secrets made of the marker's own characters, which a naive replacement can re-create.
  fc.stringMatching(/^[\[\]redact]{8,16}$/),
);
const contextArb = fc.string({ maxLength: 40, unit: 'grapheme' });
const formIndexArb = fc.integer({ min: 0, max: 3 });

/** A stack without its `at …` frames: the frames are file paths, which a short random "secret" can spell. */
function stackText(error: Error): string {
  return String(error.stack).split('\n    at ')[0]!;
}

function leaks(text: string, secret: string): boolean {
  return forms(secret).some((form) => text.includes(form));
}

describe('no generated secret ever appears in error text', () => {
  test.each([
    ['a secret spelled by the marker and what follows it', 'ted]ted]ted]', 'ted]ted]'],
    ['a secret ending in the marker’s tail', 'x[redacted]', 'acted]'],
    ['a secret with a lone surrogate (no URL-encoded form)', 'a\uD800bcdefgh', '\uD800bcdefgh'],
  ])('redact handles %s', (_, text, secret) => {
    expect(() => redact(text, [secret])).not.toThrow();
    expect(redact(text, [secret])).not.toContain(secret);
  });

  test('redact removes raw, base64 and URL-encoded forms wherever they are embedded', () => {
    fc.assert(
      fc.property(secretArb, fc.array(fc.tuple(contextArb, formIndexArb), { minLength: 1, maxLength: 4 }), contextArb, (secret, pieces, tail) => {
        const text = pieces.map(([before, i]) => before + forms(secret)[i]).join('') + tail;
        return !leaks(redact(text, [secret]), secret);
      }),
      { numRuns: 2_000 },
    );
  });

  test('a redactor bound once to several secrets answers every text as redact does, leaking none', () => {
    fc.assert(
      fc.property(fc.array(secretArb, { minLength: 1, maxLength: 3 }), fc.array(fc.tuple(contextArb, fc.nat(), formIndexArb), { maxLength: 4 }), contextArb, (secrets, pieces, tail) => {
        const scrub = redactor(secrets);
        const text = pieces.map(([before, which, i]) => before + forms(secrets[which % secrets.length]!)[i]).join('') + tail;
        const scrubbed = scrub(text);
        expect(scrubbed).toBe(redact(text, secrets));
        return secrets.every((secret) => !leaks(scrubbed, secret));
      }),
      { numRuns: 1_000 },
    );
  });

  test('a TokensmithError built with redact carries no secret in message, stack or JSON', () => {
    fc.assert(
      fc.property(secretArb, contextArb, formIndexArb, (secret, context, i) => {
        const error = new AuthProviderError(40170, redact(`authUrl said: ${context}${forms(secret)[i]}`, [secret]));
        const texts = [error.message, stackText(error), JSON.stringify(error), String(error)];
        return texts.every((text) => !leaks(text, secret));
      }),
      { numRuns: 500 },
    );
  });

  test('TokenManager failures and log lines carry no secret, whatever fetchToken threw', async () => {
    await fc.assert(
      fc.asyncProperty(secretArb, contextArb, formIndexArb, fc.boolean(), async (secret, context, i, network) => {
        const lines: string[] = [];
        const record = (obj: object, msg?: string) => lines.push(JSON.stringify(obj), msg ?? '');
        const thrown = network ? new TypeError(`${context}${forms(secret)[i]}`) : new Error(`${context}${forms(secret)[i]}`);
        const manager = new TokenManager({
          fetchToken: async () => {
            throw thrown;
          },
          retry: { maxAttempts: 2, baseDelayMs: 0 },
          secrets: [secret],
          logger: { debug: record, info: record, warn: record, error: record },
        });
        const error = (await manager.getToken().catch((e: unknown) => e)) as TokensmithError;
        const cause = error.cause as Error;
        const texts = [error.message, stackText(error), JSON.stringify(error), cause.message, stackText(cause), ...lines];
        return error instanceof TokensmithError && texts.every((text) => !leaks(text, secret));
      }),
      { numRuns: 300 },
    );
  });

  test('the redacting logger scrubs messages, string fields and errors', () => {
    fc.assert(
      fc.property(secretArb, contextArb, formIndexArb, (secret, context, i) => {
        const lines: string[] = [];
        const sink = (obj: object, msg?: string) => lines.push(JSON.stringify(obj), msg ?? '');
        const log = createRedactingLogger({ debug: sink, info: sink, warn: sink, error: sink }, () => [secret]);
        const embedded = `${context}${forms(secret)[i]}`;
        log.warn({ detail: embedded, err: new Error(embedded), n: 1 }, embedded);
        return lines.every((line) => !leaks(line, secret));
      }),
      { numRuns: 500 },
    );
  });

  test('spec-auth credentials of any content: no error, log line or printed object carries them', async () => {
    const security = {
      securitySchemes: {
        basicAuth: { type: 'http', scheme: 'basic' },
        bearerAuth: { type: 'http', scheme: 'bearer' },
        queryKey: { type: 'apiKey', in: 'query', name: 'api_key' },
        headerKey: { type: 'apiKey', in: 'header', name: 'X-API-Key' },
        cookieKey: { type: 'apiKey', in: 'cookie', name: 'session' },
        digest: { type: 'http', scheme: 'digest' },
      },
      operationSecurity: {
        'GET /query': [{ queryKey: [] }],
        'GET /header': [{ headerKey: [] }],
        'GET /cookie': [{ cookieKey: [] }],
        'GET /bearer': [{ bearerAuth: [] }],
        'GET /basic': [{ basicAuth: [] }],
        'GET /digest': [{ digest: [] }],
      },
    } as const;
    const paths = ['/query', '/header', '/cookie', '/bearer', '/basic', '/digest'];
    await fc.assert(
      // Also secrets a header cannot carry: the platform's own refusal would quote them.
      fc.asyncProperty(fc.oneof(secretArb, fc.stringMatching(/^[a-z]{4,8}[\0\r\n][a-z]{4,8}$/)), fc.boolean(), async (secret, asFunction) => {
        const texts: string[] = [];
        const record = (obj: object, msg?: string) => texts.push(inspect(obj, { depth: 10 }), msg ?? '');
        const logger = { debug: record, info: record, warn: record, error: record };
        const value = asFunction ? () => secret : secret;
        // Not `instanceof Error`: the platform's own errors come from another realm under jest.
        const errorTexts = (error: unknown) => {
          const failure = error as Error;
          texts.push(String(failure.message), stackText(failure), JSON.stringify(failure), String(failure), inspect(failure, { depth: 10 }));
          const cause = failure.cause as Error | undefined;
          if (cause !== undefined) texts.push(String(cause.message), stackText(cause));
        };
        for (const [name, make] of [
          ['basic', () => new BasicCredential({ username: 'u', password: secret })],
          ['bearer', () => new BearerCredential(value)],
          ['apiKey', () => new ApiKeyCredential(value)],
        ] as const) {
          try {
            const credential = make();
            texts.push(inspect(credential, { showHidden: true }), JSON.stringify(credential), String(credential), name);
          } catch (error) {
            errorTexts(error);
          }
        }
        for (const credentials of [
          { basicAuth: { username: 'u', password: secret } },
          { bearerAuth: value },
          { queryKey: value },
          { headerKey: value },
          { cookieKey: value },
        ]) {
          try {
            const auth = createSpecAuth(security, { credentials, partial: true, logger });
            texts.push(inspect(auth, { showHidden: true, depth: 10 }), JSON.stringify(auth));
            // Plain http to a non-loopback host, answering 401 without being reached: every refusal path runs.
            // eslint-disable-next-line @typescript-eslint/no-explicit-any
            const api = createClient<any>({ baseUrl: 'http://api.example.test', fetch: async () => new Response('{}', { status: 401 }) });
            api.use(auth.middleware);
            for (const path of paths) await api.GET(path, {}).catch(errorTexts);
          } catch (error) {
            errorTexts(error);
          }
        }
        return texts.every((text) => !leaks(text, secret));
      }),
      { numRuns: 300 },
    );
  });
});

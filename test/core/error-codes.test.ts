/**
 * The error table: every code tokensmith uses is in ERROR_CODES with its status, each condition
 * has one class whose default code is in the table, and the one response mapper picks the class
 * by condition for both providers.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import {
  AuthProviderError,
  ConfigurationError,
  ERROR_CODES,
  InvalidArgumentError,
  InvalidCredentialsError,
  RateLimitError,
  RequestNotReplayableError,
  ResponseTooLargeError,
  ServerError,
  TimeoutError,
  TokenError,
  TokensmithError,
  TransportError,
  statusForCode,
} from '../../src/core/errors';
import { codeForStatus, errorForCode } from '../../src/core/error-family';
import { errorFromResponse, type ResponseErrorContext } from '../../src/core/response-error';

const SRC = join(__dirname, '../../src');
/** The companion's source: the codes the local server sends are the client's codes. */
const SERVER_SRC = join(__dirname, '../../tokensmith-server/src');
const ROOT = join(__dirname, '../..');

type Family = abstract new (...args: never[]) => TokensmithError;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sourceFiles(path) : path.endsWith('.ts') ? [path] : [];
  });
}

/** Five-digit numbers that are not error codes. */
const NOT_CODES = new Set([
  65535 /* the highest port, in the CLI's --port message */,
  86400 /* a day in seconds, the CORS preflight max-age */,
]);

/** Five-digit codes in the source outside comments and outside comparisons (range bounds such as `< 40150`). */
function codesUsedIn(path: string): number[] {
  const code = readFileSync(path, 'utf8')
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/(^|[^:])\/\/.*$/gm, '$1');
  const found: number[] = [];
  for (const match of code.matchAll(/(?<![\w.])([4-8]\d{4})(?![\w.])/g)) {
    const before = code.slice(Math.max(0, (match.index ?? 0) - 4), match.index);
    if (/[<>]=?\s*$/.test(before) || NOT_CODES.has(Number(match[1]))) continue;
    found.push(Number(match[1]));
  }
  return found;
}

describe('ERROR_CODES', () => {
  test.each(Object.entries(ERROR_CODES))('%s: a status and a meaning, and statusForCode agrees', (code, entry) => {
    expect(entry.meaning).not.toBe('');
    // 80000 is a network failure: nothing answered, so no HTTP status (0); every other code has one.
    if (Number(code) === 80000) expect(entry.statusCode).toBe(0);
    else expect(entry.statusCode).toBeGreaterThanOrEqual(400);
    expect(statusForCode(Number(code))).toBe(entry.statusCode);
    expect(new TokensmithError(Number(code), 'x').statusCode).toBe(entry.statusCode);
  });

  test('every code written anywhere in src/ and tokensmith-server/src/ is in the table', () => {
    const missing = new Map<number, string[]>();
    for (const path of [...sourceFiles(SRC), ...sourceFiles(SERVER_SRC)]) {
      for (const code of codesUsedIn(path)) {
        if (code in ERROR_CODES) continue;
        missing.set(code, [...(missing.get(code) ?? []), path.slice(ROOT.length + 1)]);
      }
    }
    expect(Object.fromEntries(missing)).toEqual({});
  });

  test('a network error carries no HTTP status of 500: TransportError 80000 has statusCode 0', () => {
    expect(new TransportError(80000, 'x').statusCode).toBe(0);
    expect(new TransportError(80000, 'x').toJSON()).toMatchObject({ code: 80000, statusCode: 0 });
  });

  test('no code is made from a status by multiplying it: the table says which code a status has', () => {
    const derived = [...sourceFiles(SRC), ...sourceFiles(SERVER_SRC)].filter((path) =>
      /(status|statusCode)\s*\*\s*100\b/.test(readFileSync(path, 'utf8').replace(/\/\*[\s\S]*?\*\//g, '')),
    );
    expect(derived.map((path) => path.slice(ROOT.length + 1))).toEqual([]);
  });

  test('the statuses that are not a code\'s first three digits, written out (the table derives them from statusForCode)', () => {
    const offPattern = Object.entries(ERROR_CODES).filter(([code, entry]) => Math.floor(Number(code) / 100) !== entry.statusCode);
    expect(Object.fromEntries(offPattern.map(([code, entry]) => [code, entry.statusCode]))).toEqual({ 40171: 403, 50002: 502, 50003: 504, 80000: 0 });
  });

  test('41400 (request URI too long), which the server sends, is in the table', () => {
    expect(ERROR_CODES[41400]).toEqual({ statusCode: 414, meaning: 'request URI too long' });
  });
});

describe('the table read the other way round', () => {
  test.each([
    [400, 40000],
    [401, 40100],
    [403, 40300],
    [404, 40400],
    [413, 41300],
    [429, 42910],
    [431, 43100],
    [500, 50000],
    [502, 50002],
    [504, 50003],
    [409, 40000],
    [503, 50000],
  ])('codeForStatus(%i) is %i, a code in the table with that status or its family', (status, code) => {
    expect(codeForStatus(status)).toBe(code);
    expect(code in ERROR_CODES).toBe(true);
    if (![409, 503].includes(status)) expect(statusForCode(code)).toBe(status);
  });

  test('every code in the table builds an error of its family, as the client throws it', () => {
    const families: Record<number, Family> = {
      40000: InvalidArgumentError, 40001: InvalidArgumentError, 40003: InvalidArgumentError, 40012: InvalidArgumentError,
      40101: InvalidCredentialsError, 40102: InvalidCredentialsError, 40104: InvalidCredentialsError,
      40131: InvalidCredentialsError, 40133: InvalidCredentialsError,
      40140: TokenError, 40141: TokenError, 40142: TokenError, 40143: TokenError, 40144: TokenError,
      42910: RateLimitError, 50000: ServerError, 50002: AuthProviderError, 50003: TimeoutError, 80000: TransportError,
    };
    for (const key of Object.keys(ERROR_CODES)) {
      const code = Number(key);
      const error = errorForCode(code, 'x', { statusCode: 418 });
      expect([code, error.code, error.statusCode]).toEqual([code, code, 418]);
      expect([code, error]).toEqual([code, expect.any(families[code] ?? TokensmithError)]);
      if (!(code in families)) expect([code, error.constructor]).toEqual([code, TokensmithError]);
    }
  });
});

describe('one class per condition, with its default code in the table', () => {
  test.each<[string, TokensmithError, Family, number]>([
    ['credentials refused', new InvalidCredentialsError('x'), InvalidCredentialsError, 40101],
    ['bad configuration', new ConfigurationError(40106, 'x'), ConfigurationError, 40106],
    ['bad argument', new InvalidArgumentError(40003, 'x'), InvalidArgumentError, 40003],
    ['token refused', new TokenError(40142, 'x'), TokenError, 40142],
    ['token refused, body a stream', new RequestNotReplayableError('x'), TokenError, 40140],
    ['rate limited', new RateLimitError('x', 1_000), RateLimitError, 42910],
    ['server 5xx', new ServerError(50000, 'x'), ServerError, 50000],
    ['network', new TransportError(80000, 'x'), TransportError, 80000],
    ['timeout', new TimeoutError('x'), TransportError, 50003],
    ['token source unusable', new AuthProviderError(50002, 'x'), AuthProviderError, 50002],
    ['answer too large', new ResponseTooLargeError(50002, 'x', 65_536), AuthProviderError, 50002],
  ])('%s', (_condition, error, family, code) => {
    expect(error).toBeInstanceOf(family);
    expect(error.code).toBe(code);
    expect(code in ERROR_CODES).toBe(true);
    expect(error.name).toBe(error.constructor.name);
  });
});

describe('the one response mapper', () => {
  const ably: ResponseErrorContext = { what: 'Ably requestToken', secrets: ['s3cr3t-value'], refused: 'credentials' };
  const metquay: ResponseErrorContext = { what: 'Metquay /authenticate', secrets: ['s3cr3t-value'], refused: 'credentials', badRequestCode: 40001 };
  const page: ResponseErrorContext = { what: 'Metquay GET /customers', secrets: ['s3cr3t-value'], refused: 'token' };
  const ablyBody = (code: number, status: number) => JSON.stringify({ error: { code, statusCode: status, message: 'said s3cr3t-value' } });
  const metquayBody = (status: number) => JSON.stringify({ code: status, message: 'said s3cr3t-value' });

  test.each<[string, ResponseErrorContext, number, string, Record<string, string>, Family, number]>([
    ['Ably 401 40101', ably, 401, ablyBody(40101, 401), {}, InvalidCredentialsError, 40101],
    ['Ably 401 40131 (revoked key)', ably, 401, ablyBody(40131, 401), {}, InvalidCredentialsError, 40131],
    ['Ably 401 40142', ably, 401, ablyBody(40142, 401), {}, TokenError, 40142],
    ['Ably 400 40003', ably, 400, ablyBody(40003, 400), {}, InvalidArgumentError, 40003],
    ['Ably 429', ably, 429, ablyBody(42910, 429), { 'retry-after': '3' }, RateLimitError, 42910],
    ['Ably 500 with a code', ably, 500, ablyBody(50000, 500), {}, ServerError, 50000],
    ['Ably 502 without an envelope', ably, 502, '', {}, ServerError, 50000],
    ['Metquay 401', metquay, 401, metquayBody(401), {}, InvalidCredentialsError, 40101],
    ['Metquay 400', metquay, 400, metquayBody(400), {}, InvalidArgumentError, 40001],
    ['Metquay 429', metquay, 429, metquayBody(429), { 'retry-after': '3' }, RateLimitError, 42910],
    ['Metquay 503', metquay, 503, metquayBody(503), {}, ServerError, 50000],
    ['Metquay page 401', page, 401, metquayBody(401), {}, TokenError, 40140],
    ['Metquay page 404', page, 404, metquayBody(404), {}, TokensmithError, 40400],
  ])('%s', async (_case, context, status, body, headers, family, code) => {
    const response = new Response(body || null, { status, headers: { 'content-type': 'application/json', ...headers } });
    const error = await errorFromResponse(response, context);
    expect(error).toBeInstanceOf(family);
    expect(error.code).toBe(code);
    expect(code in ERROR_CODES).toBe(true);
    expect(error.statusCode).toBe(status);
    expect(error.upstream?.status).toBe(status);
    expect(error.message).not.toContain('s3cr3t-value');
    if (error instanceof RateLimitError) expect(error.retryAfterMs).toBe(3_000);
  });
});

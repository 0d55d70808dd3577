import { operationSecurity as ablySecurity, securitySchemes as ablySchemes } from '../../generated/ably.security';
import { operationSecurity as metquaySecurity, securitySchemes as metquaySchemes } from '../../generated/metquay.security';
import { ANY_SCHEME, compileSecurity } from '../../src/core/security';

const schemes = {
  basicAuth: { type: 'http', scheme: 'basic' },
  bearerAuth: { type: 'http', scheme: 'Bearer' },
  apiKey: { type: 'apiKey' },
} as const;

describe('compileSecurity', () => {
  const lookup = compileSecurity(
    {
      'GET /time': [],
      'POST /keys/{keyName}/requestToken': [['basicAuth'], []],
      'GET /channels/{channelId}/messages': [['basicAuth'], ['bearerAuth']],
      'GET /customers': [['bearerAuth']],
      'GET /mixed': [['apiKey'], ['bearerAuth']],
      'GET /both-at-once': [['basicAuth', 'bearerAuth'], ['bearerAuth']],
    },
    schemes,
  );

  test.each([
    ['GET', '/time', null],
    ['POST', '/keys/{keyName}/requestToken', { allowed: ['basic'], optional: true }],
    ['GET', '/channels/{channelId}/messages', { allowed: ['basic', 'bearer'], optional: false }],
    ['GET', '/customers', { allowed: ['bearer'], optional: false }],
    ['GET', '/mixed', { allowed: ['bearer'], optional: false }],
    ['GET', '/both-at-once', { allowed: ['bearer'], optional: false }],
  ])('%s %s -> %j', (method, path, expected) => {
    expect(lookup(method, path)).toEqual(expected);
  });

  test('an operation missing from the map may use any scheme and needs one', () => {
    expect(lookup('DELETE', '/not-in-spec')).toBe(ANY_SCHEME);
    expect(ANY_SCHEME).toEqual({ allowed: ['bearer', 'basic'], optional: false });
  });

  test('the same lookup returns the same frozen object every time (nothing built per request)', () => {
    const first = lookup('GET', '/customers');
    expect(lookup('GET', '/customers')).toBe(first);
    expect(Object.isFrozen(first)).toBe(true);
    expect(Object.isFrozen(first?.allowed)).toBe(true);
  });

  test.each([
    [{ 'get /x': [] }, '"get /x"'],
    [{ 'GET x': [] }, '"GET x"'],
    [{ 'GET /x': [['nope']] }, '"nope"'],
    [{ 'GET /x': [['apiKey']] }, '"GET /x" allows no scheme'],
  ])('refuses %j naming what is wrong', (map, name) => {
    expect(() => compileSecurity(map, schemes)).toThrow(expect.objectContaining({ code: 40003, message: expect.stringContaining(name) }));
  });

  test('accepts the generated Ably and Metquay maps', () => {
    expect(compileSecurity(ablySecurity, ablySchemes)('GET', '/time')).toBeNull();
    expect(compileSecurity(ablySecurity, ablySchemes)('POST', '/keys/{keyName}/requestToken')).toEqual({ allowed: ['basic'], optional: true });
    expect(compileSecurity(metquaySecurity, metquaySchemes)('POST', '/authenticate')).toBeNull();
    expect(compileSecurity(metquaySecurity, metquaySchemes)('GET', '/customers')).toEqual({ allowed: ['bearer'], optional: false });
  });
});

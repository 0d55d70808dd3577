import { intersectCapabilities, permits, resourceCovers } from '../../tokensmith-server/src/server/ably/capability-rules';

describe('wildcard resource matching', () => {
  test.each([
    ['*', 'chat', true],
    ['*', 'chat:lobby', true],
    ['chat', 'chat', true],
    ['chat', 'chat:lobby', false],
    ['chat', 'chatter', false],
    ['chat:*', 'chat:lobby', true],
    ['chat:*', 'chat:room:7', true],
    ['chat:*', 'chat', false],
    ['chat:*', 'chatter', false],
    ['chat:*', 'chat:room:*', true],
    ['chat:room:*', 'chat:*', false],
    ['allowed:*', 'forbidden', false],
  ])('pattern %j covers %j: %s', (pattern, name, expected) => {
    expect(resourceCovers(pattern, name)).toBe(expected);
  });
});

describe('capability checks per operation', () => {
  const capability = { 'chat:*': ['publish'], news: ['history', 'subscribe'], 'admin:*': ['*'] };
  test.each([
    ['chat:lobby', 'publish', true],
    ['chat:lobby', 'history', false],
    ['news', 'history', true],
    ['news', 'publish', false],
    ['news:extra', 'history', false],
    ['admin:anything', 'history', true],
    ['admin:anything', 'publish', true],
    ['other', 'publish', false],
  ])('%s / %s -> %s', (channel, operation, expected) => {
    expect(permits(capability, channel, operation)).toBe(expected);
  });
});

describe('capability intersection (requested ∩ key)', () => {
  test.each([
    ['everything from an all-powerful key', { '*': ['*'] }, { '*': ['*'] }, { '*': ['*'] }],
    ['a channel under a wildcard key', { chat: ['publish'] }, { '*': ['*'] }, { chat: ['publish'] }],
    ['a wildcard request narrowed to the key', { '*': ['*'] }, { 'chat:*': ['publish'] }, { 'chat:*': ['publish'] }],
    ['operations intersected', { chat: ['publish', 'subscribe'] }, { chat: ['subscribe', 'history'] }, { chat: ['subscribe'] }],
    ['op * takes the other side', { chat: ['*'] }, { chat: ['history', 'publish'] }, { chat: ['history', 'publish'] }],
    ['narrower pattern kept', { 'chat:room:*': ['publish'] }, { 'chat:*': ['*'] }, { 'chat:room:*': ['publish'] }],
    ['unrelated resources dropped', { news: ['publish'], chat: ['publish'] }, { chat: ['publish'] }, { chat: ['publish'] }],
    ['nothing in common', { news: ['publish'] }, { chat: ['publish'] }, {}],
    ['no common operation', { chat: ['publish'] }, { chat: ['history'] }, {}],
    ['several key resources merge', { '*': ['publish'] }, { a: ['publish'], 'b:*': ['publish', 'history'] }, { a: ['publish'], 'b:*': ['publish'] }],
  ])('%s', (_label, requested, key, expected) => {
    expect({ ...intersectCapabilities(requested, key) }).toEqual(expected);
  });
});

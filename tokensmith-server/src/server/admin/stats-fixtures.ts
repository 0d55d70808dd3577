import { TokensmithError } from 'tokensmith';
import { parseIntervalId } from '../ably/stats';

/**
 * Turns one of the sandbox's stats fixtures (`POST /stats`: an `intervalId` of minute precision and
 * nested counters such as `inbound.realtime.messages.count`) into the flat entries `GET /stats`
 * answers. Message counters become `messages.<inbound|outbound>.<transport>.<type>.<field>`, and
 * their sums over transports and types are added as `all` (`messages.inbound.all.messages.count`,
 * `messages.inbound.all.all.count`…), as Ably's entries carry them. Other counters keep their path.
 */
export function fixtureEntries(fixture: Record<string, unknown>, index: number): { at: number; entries: Record<string, number> } {
  const interval = typeof fixture['intervalId'] === 'string' ? parseIntervalId(fixture['intervalId']) : undefined;
  if (!interval || interval.unit !== 'minute') {
    throw new TokensmithError(40003, `body[${index}].intervalId must be a minute interval id, yyyy-mm-dd:hh:mm`);
  }
  const entries: Record<string, number> = {};
  const add = (name: string, value: number): void => {
    entries[name] = (entries[name] ?? 0) + value;
  };
  for (const [path, value] of flatten(fixture, '')) {
    const [direction, transport, type, field, ...rest] = path.split('.');
    if ((direction === 'inbound' || direction === 'outbound') && field !== undefined && rest.length === 0) {
      for (const t of new Set([transport, 'all'])) for (const m of new Set([type, 'all'])) add(`messages.${direction}.${t}.${m}.${field}`, value);
    } else {
      add(path, value);
    }
  }
  return { at: interval.start, entries };
}

function flatten(value: Record<string, unknown>, prefix: string): Array<[string, number]> {
  const found: Array<[string, number]> = [];
  const stack: Array<[Record<string, unknown>, string, number]> = [[value, prefix, 0]];
  while (stack.length > 0) {
    const [object, path, depth] = stack.pop() as [Record<string, unknown>, string, number];
    for (const [name, child] of Object.entries(object)) {
      if (name === 'intervalId') continue;
      const childPath = path === '' ? name : `${path}.${name}`;
      if (typeof child === 'number' && Number.isFinite(child)) found.push([childPath, child]);
      else if (typeof child === 'object' && child !== null && !Array.isArray(child) && depth < 8) stack.push([child as Record<string, unknown>, childPath, depth + 1]);
    }
  }
  return found;
}

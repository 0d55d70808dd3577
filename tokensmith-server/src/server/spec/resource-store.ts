import { FifoMap } from '../lib/fifo-map';
import type { Json } from './json-schema';

type Resource = { [key: string]: Json };

/**
 * The `--stateful` store: resources by collection (the concrete collection path, so nested
 * collections are apart) and id, bounded in bytes (each resource counted as its JSON length plus
 * its keys); past the bound the oldest resources go first, across all collections.
 */
export class ResourceStore {
  private readonly collections = new Map<string, Map<string, Resource>>();
  private readonly order = new FifoMap<string, number>();
  private total = 0;
  private nextId = 1;

  /** @param maxBytes the most the store may hold. */
  constructor(private readonly maxBytes: number) {}

  /** Estimated bytes held. */
  get bytes(): number {
    return this.total;
  }

  /** Resources held. */
  get size(): number {
    return this.order.size;
  }

  /** A fresh id, unique for this store's life. */
  newId(): number {
    return this.nextId++;
  }

  get(collection: string, id: string): Resource | undefined {
    return this.collections.get(collection)?.get(id);
  }

  /** The resources of a collection, oldest first. */
  list(collection: string): Resource[] {
    return [...(this.collections.get(collection)?.values() ?? [])];
  }

  /** Stores (or replaces) a resource; false, and nothing stored, when it alone is over the bound. */
  put(collection: string, id: string, resource: Resource): boolean {
    const size = JSON.stringify(resource).length + collection.length + id.length + 64;
    if (size > this.maxBytes) return false;
    this.delete(collection, id);
    let items = this.collections.get(collection);
    if (!items) {
      items = new Map();
      this.collections.set(collection, items);
    }
    items.set(id, resource);
    this.order.set(keyOf(collection, id), size);
    this.total += size;
    while (this.total > this.maxBytes) {
      const oldest = this.order.oldest(1)[0];
      if (!oldest) break;
      const [collectionOf, idOf] = splitKey(oldest[0]);
      this.delete(collectionOf, idOf);
    }
    return true;
  }

  /** Removes a resource; true if it was there. */
  delete(collection: string, id: string): boolean {
    const key = keyOf(collection, id);
    const size = this.order.get(key);
    if (size === undefined) return false;
    this.order.delete(key);
    this.total -= size;
    const items = this.collections.get(collection)!;
    items.delete(id);
    if (items.size === 0) this.collections.delete(collection);
    return true;
  }

  /** Drops everything. */
  clear(): void {
    this.collections.clear();
    this.order.clear();
    this.total = 0;
    this.nextId = 1;
  }
}

const SEPARATOR = '\u0000';
const keyOf = (collection: string, id: string) => `${collection}${SEPARATOR}${id}`;
function splitKey(key: string): [string, string] {
  const index = key.indexOf(SEPARATOR);
  return [key.slice(0, index), key.slice(index + 1)];
}

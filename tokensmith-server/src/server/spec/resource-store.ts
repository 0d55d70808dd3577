import { BoundedStore } from '../lib/bounded-store';
import type { Json } from './json-schema';

type Resource = { [key: string]: Json };

/** A held resource and where it lives. */
interface Placed {
  readonly collection: string;
  readonly id: string;
  readonly resource: Resource;
}

// Per-resource bookkeeping beyond its JSON text and names, estimated.
const ENTRY_OVERHEAD_BYTES = 64;

/**
 * The `--stateful` store: resources by collection (the concrete collection path, so nested
 * collections are apart) and id, bounded in bytes (each resource counted as its JSON length plus
 * its keys); past the bound the oldest resources go first, across all collections.
 */
export class ResourceStore {
  private readonly held: BoundedStore<string, Placed>;
  /** The same resources by collection, each in insertion order, for listing. */
  private readonly collections = new Map<string, Map<string, Resource>>();
  private nextId = 1;

  /** @param maxBytes the most the store may hold. */
  constructor(maxBytes: number) {
    this.held = new BoundedStore<string, Placed>({
      maxEntries: Number.POSITIVE_INFINITY,
      maxBytes,
      sizeOf: (_key, placed) => JSON.stringify(placed.resource).length + placed.collection.length + placed.id.length + ENTRY_OVERHEAD_BYTES,
      onEvict: (_key, placed) => this.unindex(placed.collection, placed.id),
    });
  }

  /** Estimated bytes held. */
  get bytes(): number {
    return this.held.bytes;
  }

  /** Resources held. */
  get size(): number {
    return this.held.size;
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

  /** Stores (or replaces) a resource; false, and nothing changed, when it alone is over the bound. */
  put(collection: string, id: string, resource: Resource): boolean {
    if (!this.held.set(keyOf(collection, id), { collection, id, resource })) return false;
    // A replaced resource becomes the newest, in the store and in its collection's list.
    this.unindex(collection, id);
    this.index(collection, id, resource);
    return true;
  }

  /** Removes a resource; true if it was there. */
  delete(collection: string, id: string): boolean {
    if (!this.held.delete(keyOf(collection, id))) return false;
    this.unindex(collection, id);
    return true;
  }

  /** Drops everything. */
  clear(): void {
    this.held.clear();
    this.collections.clear();
    this.nextId = 1;
  }

  private index(collection: string, id: string, resource: Resource): void {
    let items = this.collections.get(collection);
    if (!items) {
      items = new Map();
      this.collections.set(collection, items);
    }
    items.set(id, resource);
  }

  private unindex(collection: string, id: string): void {
    const items = this.collections.get(collection);
    items?.delete(id);
    if (items?.size === 0) this.collections.delete(collection);
  }
}

const keyOf = (collection: string, id: string) => `${collection}\u0000${id}`;

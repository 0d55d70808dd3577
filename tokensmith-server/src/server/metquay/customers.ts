import type { MetquayComponents } from 'tokensmith';

/**
 * The fixed customer list `GET /customers` pages through: generated from the index alone, so every
 * server (and every test) sees the same records in the same order.
 */

/** One customer record: the spec's `Customer`, with the optional `email` always set. */
export type LocalCustomer = MetquayComponents['schemas']['Customer'] & { email: string };

const FIRST_NAMES = ['Ada', 'Grace', 'Alan', 'Edsger', 'Barbara', 'Donald', 'Frances', 'Ken', 'Radia', 'Tim'];
const LAST_NAMES = ['Lovelace', 'Hopper', 'Turing', 'Dijkstra', 'Liskov', 'Knuth', 'Allen', 'Thompson', 'Perlman', 'Berners-Lee', 'Hamilton'];
const FIRST_CREATED_AT = Date.UTC(2024, 0, 1, 9, 0, 0);
const HOUR_MS = 3_600_000;

/** Builds `count` customers, ids `cus_000001`…, oldest first (the spec's order). */
export function buildCustomers(count: number): readonly LocalCustomer[] {
  return Array.from({ length: count }, (_, index) => {
    const first = FIRST_NAMES[index % FIRST_NAMES.length] as string;
    const last = LAST_NAMES[index % LAST_NAMES.length] as string;
    const number = index + 1;
    return {
      id: `cus_${String(number).padStart(6, '0')}`,
      name: `${first} ${last}`,
      email: `${first}.${last}.${number}@example.com`.toLowerCase(),
      createdAt: new Date(FIRST_CREATED_AT + index * 7 * HOUR_MS).toISOString().replace('.000Z', 'Z'),
    };
  });
}

/** Paging defaults and bounds, per the Metquay list convention. */
export const CUSTOMER_PAGING = { defaultFirst: 0, defaultLimit: 50, maxLimit: 500 } as const; // as in the spec

/** The slice `[first, first + limit)`; an empty array past the end. */
export function pageOf<T>(items: readonly T[], first: number, limit: number): T[] {
  return items.slice(first, first + limit);
}

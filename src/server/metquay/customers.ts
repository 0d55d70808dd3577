/**
 * The fixed customer list `GET /customers` pages through: generated from the index alone, so every
 * server (and every test) sees the same records in the same order.
 */

/** One customer record as the local server serves it. */
export interface LocalCustomer {
  id: number;
  name: string;
  email: string;
  city: string;
  active: boolean;
}

const FIRST_NAMES = ['Ada', 'Grace', 'Alan', 'Edsger', 'Barbara', 'Donald', 'Frances', 'Ken', 'Radia', 'Tim'];
const LAST_NAMES = ['Lovelace', 'Hopper', 'Turing', 'Dijkstra', 'Liskov', 'Knuth', 'Allen', 'Thompson', 'Perlman', 'Berners-Lee', 'Hamilton'];
const CITIES = ['Dubai', 'Kochi', 'London', 'Berlin', 'Toronto', 'Sydney', 'Nairobi'];

/** Builds `count` customers with ids 1..count. */
export function buildCustomers(count: number): readonly LocalCustomer[] {
  return Array.from({ length: count }, (_, index) => {
    const first = FIRST_NAMES[index % FIRST_NAMES.length] as string;
    const last = LAST_NAMES[index % LAST_NAMES.length] as string;
    const id = index + 1;
    return {
      id,
      name: `${first} ${last}`,
      email: `${first}.${last}.${id}@example.com`.toLowerCase(),
      city: CITIES[index % CITIES.length] as string,
      active: index % 5 !== 4,
    };
  });
}

/** Paging defaults and bounds, per the Metquay list convention. */
export const CUSTOMER_PAGING = { defaultFirst: 0, defaultLimit: 50, maxLimit: 500 } as const;

/** The slice `[first, first + limit)`; an empty array past the end. */
export function pageOf<T>(items: readonly T[], first: number, limit: number): T[] {
  return items.slice(first, first + limit);
}

// Compile-time tests of the Metquay public API: `tsc --noEmit` fails when a line marked with an
// expect-error directive compiles.
import { MetquayAuth, type AuthenticationResponse } from '../../src/metquay';
import { createMetquayClient, type MetquayListPath } from '../../src/client';

export async function metquayClientTypeChecks(): Promise<void> {
  const mq = createMetquayClient({ baseUrl: 'http://127.0.0.1:1/api/v1', accessKey: 'a', secretKey: 'b' });

  const token: string = await mq.auth.getToken();
  const response: AuthenticationResponse = await mq.auth.authenticate();
  const tokenType: 'bearer' = response.tokenType;
  void token, tokenType;

  for await (const customer of mq.paginate('/customers', { limit: 50 })) {
    const id: string = customer.id;
    const createdAt: string = customer.createdAt;
    // @ts-expect-error customers have no `city`
    const city: string = customer.city;
    void id, createdAt, city;
  }

  // @ts-expect-error /authenticate is not a GET list
  mq.paginate('/authenticate');

  const onlyCustomers: MetquayListPath = '/customers';
  void onlyCustomers;

  // @ts-expect-error the page size option is `limit`
  mq.paginate('/customers', { pageSize: 10 });

  // @ts-expect-error secretKey must be a string
  new MetquayAuth({ secretKey: 42 });

  const { data } = await mq.GET('/customers', { params: { query: { first: 0, limit: 10 } } });
  // @ts-expect-error the list is an array
  void data?.items;
}

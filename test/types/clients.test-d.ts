// Compile-time tests: `tsc --noEmit` (part of `npm test`) fails when a line marked with an
// expect-error directive compiles, i.e. when the generated types stopped catching the mistake.
import { createAblyApi, createMetquayApi } from '../../src/client/index';

export async function ablyTypeChecks(): Promise<void> {
  const ably = createAblyApi({ baseUrl: 'http://127.0.0.1:1' });

  const time = await ably.GET('/time');
  if (time.data) {
    const first: number | undefined = time.data[0];
    void first;
  }

  // @ts-expect-error a path the spec does not have
  await ably.GET('/tokens');

  // @ts-expect-error keyName is a required path parameter
  await ably.POST('/keys/{keyName}/requestToken', { body: {} });

  const token = await ably.POST('/keys/{keyName}/requestToken', { params: { path: { keyName: 'app.key' } }, body: {} });
  if (token.data) {
    const value: string = token.data.token;
    const expires: number = token.data.expires;
    // @ts-expect-error TokenDetails has `expires`, not `expiresAt`
    const misread: number = token.data.expiresAt;
    void value, expires, misread;
  }
}

export async function metquayTypeChecks(): Promise<void> {
  const metquay = createMetquayApi({ baseUrl: 'http://127.0.0.1:1/api/v1' });

  // @ts-expect-error secretKey is required
  await metquay.POST('/authenticate', { body: { accessKey: 'a' } });

  const auth = await metquay.POST('/authenticate', { body: { accessKey: 'a', secretKey: 'b' } });
  if (auth.data) {
    const accessToken: string = auth.data.accessToken;
    // @ts-expect-error the field is accessToken, not token
    const misread: string = auth.data.token;
    void accessToken, misread;
  }

  // @ts-expect-error `first` is a number
  await metquay.GET('/customers', { params: { query: { first: 'zero' } } });
}

import { ResponseTooLargeError } from './errors';

/**
 * Largest body read from a token endpoint (Ably requestToken and /time, an authUrl, Metquay
 * /authenticate, an error answer of any of them): 64 KiB. A token answer is a few hundred bytes,
 * a JWT a few KiB; anything bigger is a misconfigured or hostile endpoint.
 */
export const MAX_TOKEN_RESPONSE_BYTES = 64 * 1024;

const decoder = new TextDecoder();

/**
 * Reads `response`'s body as UTF-8 text, at most `limitBytes` of it. A body that declares or
 * streams more is cancelled at once (the rest is never downloaded) and the call fails with a
 * {@link ResponseTooLargeError} naming the limit, so an endless or huge answer costs at most
 * `limitBytes` of memory.
 *
 * @param what names the answer in the error, e.g. `"authUrl answer"`.
 * @param code the error's code: 50002 for a provider's answer, 40170 for an authUrl's.
 */
export async function readBodyText(response: Response, what: string, limitBytes = MAX_TOKEN_RESPONSE_BYTES, code = 50002): Promise<string> {
  return decoder.decode(await readBodyBytes(response, what, limitBytes, code));
}

/** {@link readBodyText} as raw bytes (for msgpack answers), with the same bound and error. */
export async function readBodyBytes(response: Response, what: string, limitBytes = MAX_TOKEN_RESPONSE_BYTES, code = 50002): Promise<Uint8Array> {
  const tooLarge = () =>
    new ResponseTooLargeError(code, `${what} is larger than ${limitBytes} bytes, the most tokensmith reads`, limitBytes, {
      upstream: { status: response.status },
    });
  const declared = Number(response.headers.get('content-length') ?? NaN);
  if (declared > limitBytes) {
    await response.body?.cancel().catch(() => undefined);
    throw tooLarge();
  }
  if (response.body === null) return new Uint8Array(0);
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > limitBytes) {
      await reader.cancel().catch(() => undefined);
      throw tooLarge();
    }
    chunks.push(value);
  }
  if (chunks.length === 1) return chunks[0] as Uint8Array;
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}

/**
 * Base64 helpers that work without `Buffer`, so the default entry runs where there is no Node.
 */
const encoder = /* @__PURE__ */ new TextEncoder();

/** Standard base64 of the UTF-8 bytes of `text`. */
export function base64FromUtf8(text: string): string {
  return base64FromBytes(encoder.encode(text));
}

/** Standard base64 of raw bytes. */
export function base64FromBytes(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i++) binary += String.fromCharCode(bytes[i] as number);
  return btoa(binary);
}

/** Decodes standard or URL-safe base64 to a UTF-8 string; throws on invalid input. */
export function utf8FromBase64(encoded: string): string {
  const normalised = encoded.replace(/-/g, '+').replace(/_/g, '/');
  const binary = atob(normalised);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
}

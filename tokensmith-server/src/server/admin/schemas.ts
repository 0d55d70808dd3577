/** JSON schemas of the test controls' request bodies (these routes are not in the public specs). */

const tokenBody = {
  type: 'object',
  additionalProperties: false,
  properties: { token: { type: 'string', minLength: 1 } },
} as const;

/** Bodies by admin route. */
export const adminSchemas = {
  tokenMark: { body: tokenBody },
  revokeKey: {
    body: { type: 'object', additionalProperties: false, required: ['keyName'], properties: { keyName: { type: 'string', minLength: 1 } } },
  },
  clock: {
    body: {
      type: 'object',
      additionalProperties: false,
      minProperties: 1,
      maxProperties: 1,
      properties: {
        offsetMs: { type: 'integer', minimum: -3_153_600_000_000, maximum: 3_153_600_000_000 },
        advanceMs: { type: 'integer', minimum: -3_153_600_000_000, maximum: 3_153_600_000_000 },
      },
    },
  },
  fault: {
    body: {
      type: 'object',
      additionalProperties: false,
      allOf: [
        { anyOf: [{ required: ['path'] }, { required: ['operation'] }] },
        { anyOf: [{ required: ['status'] }, { required: ['delayMs'] }] },
      ],
      properties: {
        path: { type: 'string', minLength: 1, maxLength: 2048, pattern: '^/' },
        operation: { type: 'string', minLength: 1, maxLength: 2048 },
        method: { type: 'string', enum: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS', 'get', 'post', 'put', 'patch', 'delete', 'head', 'options'] },
        count: { type: 'integer', minimum: 1, maximum: 1000 },
        status: { type: 'integer', minimum: 400, maximum: 599 },
        delayMs: { type: 'integer', minimum: 0, maximum: 60_000 },
        code: { type: 'integer', minimum: 10000, maximum: 99999 },
        message: { type: 'string', maxLength: 500 },
        retryAfterSeconds: { type: 'integer', minimum: 0, maximum: 86_400 },
      },
    },
  },
} as const;

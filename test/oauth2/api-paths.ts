/** The protected test API both token-server harnesses serve, as openapi-typescript would type it. */
export interface paths {
  '/api/things': {
    parameters: { query?: never; header?: never; path?: never; cookie?: never };
    get: {
      parameters: { query?: never; header?: never; path?: never; cookie?: never };
      requestBody?: never;
      responses: { 200: { headers: { [name: string]: unknown }; content: { 'application/json': { things: number[] } } } };
    };
    post: {
      parameters: { query?: never; header?: never; path?: never; cookie?: never };
      requestBody: { content: { 'application/json': { name: string } } };
      responses: { 200: { headers: { [name: string]: unknown }; content: { 'application/json': { created: { name: string } } } } };
    };
  };
}

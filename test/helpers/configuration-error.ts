import { ConfigurationError } from '../../src/core/errors';

/** The ConfigurationError `build` throws synchronously; any other throw is rethrown, no throw fails. */
export function thrownConfigurationError(build: () => unknown): ConfigurationError {
  try {
    build();
  } catch (error) {
    if (error instanceof ConfigurationError) return error;
    throw error;
  }
  throw new Error('nothing was thrown');
}

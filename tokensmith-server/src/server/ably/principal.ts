import type { CapabilityMap } from './capability-rules';

/** Who a request acts as, once its credentials were accepted. */
export interface Principal {
  /** How it authenticated. */
  kind: 'basic' | 'token' | 'jwt';
  /** The key behind the credentials. */
  keyName: string;
  /** What it may do. */
  capability: CapabilityMap;
  /**
   * The identity it is bound to: a clientId, `*` (any — always the case for Basic auth), or
   * undefined for an anonymous token.
   */
  clientId: string | undefined;
}

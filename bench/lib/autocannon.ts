import { createRequire } from 'node:module';

/**
 * The slice of autocannon's API the benches use, typed here because the package ships no types.
 * @see node_modules/autocannon/README.md
 */

/** One request template; `setupRequest` may rewrite it before every send. */
export interface AutocannonRequest {
  method?: string;
  path?: string;
  headers?: Record<string, string>;
  body?: string;
  setupRequest?: (request: AutocannonRequest) => AutocannonRequest;
}

/** Options used here. */
export interface AutocannonOptions {
  url: string;
  connections?: number;
  pipelining?: number;
  duration?: number;
  amount?: number;
  requests?: AutocannonRequest[];
}

/** hdr-histogram percentiles as autocannon reports them. */
export interface Histogram {
  average: number;
  p50: number;
  p99: number;
  max: number;
  total?: number;
}

/** The result fields used here. */
export interface AutocannonResult {
  requests: Histogram & { total: number };
  latency: Histogram;
  duration: number;
  errors: number;
  timeouts: number;
  non2xx: number;
  '2xx': number;
  statusCodeStats?: Record<string, { count: number }>;
}

const autocannon = createRequire(import.meta.url)('autocannon') as (options: AutocannonOptions) => Promise<AutocannonResult>;

/** Runs autocannon in this process and resolves with its result. */
export function runAutocannon(options: AutocannonOptions): Promise<AutocannonResult> {
  return autocannon(options);
}

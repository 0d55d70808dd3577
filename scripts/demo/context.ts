import type { AdminClient, RequestLogEntry } from '../../tokensmith-server/src/server';

/** What every demo step gets: where the server is and its test controls. */
export interface DemoContext {
  /** Base URL of the local server; the Ably endpoints are at its root. */
  url: string;
  /** The Metquay API base, `${url}/api/v1`. */
  metquayUrl: string;
  /** The server's test controls. */
  admin: AdminClient;
  /** Requests the server answered since this step began, as `METHOD /path status` (path decoded). */
  requests(): Promise<string[]>;
}

/** One numbered step: does something, checks it, and returns the lines that say what happened. */
export interface DemoStep {
  title: string;
  run(context: DemoContext): Promise<string[]>;
}

/** `METHOD /path status`, with the path decoded so `chat%3Alobby` reads `chat:lobby`. */
export function describeRequest(entry: RequestLogEntry): string {
  let path = entry.path;
  try {
    path = decodeURIComponent(path);
  } catch {
    // keep the raw path
  }
  return `${entry.method} ${path} ${entry.status}`;
}

/** How many logged requests contain `fragment`. */
export function countOf(requests: readonly string[], fragment: string): number {
  return requests.filter((line) => line.includes(fragment)).length;
}

/**
 * A `fetch` that notes each answer as `status` or, for a 401, `status code` (the Ably error code
 * read from a clone), so a step can show what the server said before a retry hid it.
 */
export function recordingFetch(seen: string[]): typeof fetch {
  return async (input, init) => {
    const response = await fetch(input, init);
    if (response.status !== 401) {
      seen.push(String(response.status));
      return response;
    }
    const body = (await response.clone().json().catch(() => undefined)) as { error?: { code?: number } } | undefined;
    seen.push(`401 ${body?.error?.code ?? '?'}`);
    return response;
  };
}

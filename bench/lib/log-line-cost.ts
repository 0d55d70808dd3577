import { streamLogger } from '../../tokensmith-server/src/server/logger';
import { createScrubber, scrubbingLogger } from '../../tokensmith-server/src/server/lib/scrub';
import { pathOf } from '../../tokensmith-server/src/server/admin/request-log';

/**
 * CPU per request of what `--log-level info` adds to a request, in this process and without the
 * network: the path scrubbed, the line's fields scrubbed by the server's logger, the text line
 * built and batched, and the batches written (to a sink that keeps only their length, as a file
 * write's cost is the kernel's). Median of `rounds` rounds of `lines` lines, CPU time.
 */
export function logLineCostNs(format: 'text' | 'json', secrets: readonly string[], lines = 200_000, rounds = 5): number {
  let written = 0;
  const logger = streamLogger({ level: 'info', format, write: (chunk) => void (written += chunk.length) });
  const scrub = createScrubber(() => secrets);
  const server = scrubbingLogger(logger, scrub);
  const urls = ['/keys/demoApp.demoKey/requestToken', '/channels/chat/messages?limit=10', '/time'];
  const perLine: number[] = [];
  for (let round = 0; round < rounds; round++) {
    const start = process.cpuUsage();
    for (let i = 0; i < lines; i++) {
      const path = scrub(pathOf(urls[i % urls.length]!));
      server.info({ method: 'POST', path, status: 201, durationMs: Math.round(i % 97) / 10 }, 'request');
    }
    logger.flush();
    const used = process.cpuUsage(start);
    perLine.push(((used.user + used.system) * 1e3) / lines);
  }
  if (written === 0) throw new Error('nothing was logged');
  return perLine.sort((a, b) => a - b)[Math.floor(perLine.length / 2)]!;
}

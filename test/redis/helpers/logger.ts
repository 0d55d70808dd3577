import type { Logger } from '../../../src/core/logger';

/** A pino-shaped logger that records every line, for asserting what was logged and how often. */
export interface RecordingLogger extends Logger {
  lines: Array<{ level: keyof Logger; obj: object; msg: string | undefined }>;
  count(level: keyof Logger): number;
}

export function recordingLogger(): RecordingLogger {
  const lines: RecordingLogger['lines'] = [];
  const at = (level: keyof Logger) => (obj: object, msg?: string) => {
    lines.push({ level, obj, msg });
  };
  return {
    lines,
    count: (level) => lines.filter((line) => line.level === level).length,
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
  };
}

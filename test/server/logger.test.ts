import { streamLogger, type ServerLogLevel } from '../../tokensmith-server/src/server';

function recorded(options: Parameters<typeof streamLogger>[0] = {}) {
  const writes: string[] = [];
  return { writes, logger: streamLogger({ write: (chunk) => writes.push(chunk), ...options }) };
}

describe('streamLogger', () => {
  test('lines within 50 ms of the first go out in one write, 50 ms after it', () => {
    jest.useFakeTimers();
    try {
      const { writes, logger } = recorded({ level: 'info' });
      logger.info({ status: 200 }, 'request');
      jest.advanceTimersByTime(30);
      logger.warn({}, 'careful');
      logger.error({ detail: 'x' }, 'broken');
      jest.advanceTimersByTime(19);
      expect(writes).toEqual([]);
      jest.advanceTimersByTime(1);
      expect(writes).toEqual(['info request status=200\nwarn careful\nerror broken detail=x\n']);
      logger.info({}, 'later');
      jest.advanceTimersByTime(50);
      expect(writes).toEqual(['info request status=200\nwarn careful\nerror broken detail=x\n', 'info later\n']);
    } finally {
      jest.useRealTimers();
    }
  });

  test('flush() writes what is buffered at once; past 16 KiB a batch is written without waiting', () => {
    const { writes, logger } = recorded({ level: 'info' });
    logger.info({}, 'a');
    logger.flush();
    expect(writes).toEqual(['info a\n']);
    for (let i = 0; i < 200; i++) logger.info({ path: '/'.padEnd(100, 'p') }, 'request');
    expect(writes.length).toBe(2);
    expect(writes[1]!.length).toBeGreaterThanOrEqual(16 * 1024);
  });

  test.each<[ServerLogLevel, string[]]>([
    ['debug', ['debug', 'info', 'warn', 'error']],
    ['info', ['info', 'warn', 'error']],
    ['warn', ['warn', 'error']],
    ['error', ['error']],
    ['silent', []],
  ])('level %s writes %j, and isLevelEnabled agrees', (level, written) => {
    const { writes, logger } = recorded({ level });
    for (const name of ['debug', 'info', 'warn', 'error'] as const) logger[name]({}, name);
    logger.flush();
    expect(writes.join('').split('\n').filter(Boolean).map((line) => line.split(' ')[0])).toEqual(written);
    expect(['debug', 'info', 'warn', 'error'].filter((name) => logger.isLevelEnabled(name))).toEqual(written);
  });

  test('the default level is warn: no per-request info lines', () => {
    const { writes, logger } = recorded();
    logger.info({}, 'request');
    logger.flush();
    expect(writes).toEqual([]);
    expect(logger.isLevelEnabled('info')).toBe(false);
  });

  test('json: one object per line with level, time, msg and the fields', () => {
    const { writes, logger } = recorded({ level: 'info', format: 'json' });
    logger.info({ method: 'GET', path: '/time', status: 200, durationMs: 0.4, absent: undefined }, 'request');
    logger.flush();
    expect(writes[0]!.endsWith('\n')).toBe(true);
    expect(JSON.parse(writes[0]!)).toEqual({ level: 'info', time: expect.any(Number), msg: 'request', method: 'GET', path: '/time', status: 200, durationMs: 0.4 });
  });
});

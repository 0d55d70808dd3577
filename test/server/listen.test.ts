import { createServer, type AddressInfo, type Server } from 'node:net';
import { ConfigurationError } from '../../src/core/errors';
import { startAuthServer } from '../../tokensmith-server/src/server';

describe('startAuthServer: an address it cannot listen on', () => {
  let occupied: Server;
  beforeAll(async () => {
    occupied = createServer();
    await new Promise<void>((resolve) => occupied.listen(0, '127.0.0.1', resolve));
  });
  afterAll(() => new Promise<void>((resolve) => occupied.close(() => resolve())));

  test('a port in use is a ConfigurationError 40003 naming the address, the system error as cause', async () => {
    const { port } = occupied.address() as AddressInfo;
    const failure = startAuthServer({ port });
    await expect(failure).rejects.toBeInstanceOf(ConfigurationError);
    await expect(failure).rejects.toMatchObject({
      code: 40003,
      message: `address 127.0.0.1:${port} is in use`,
      cause: expect.objectContaining({ code: 'EADDRINUSE' }),
    });
  });

  test('an address of no interface here (TEST-NET-1) says so', async () => {
    await expect(startAuthServer({ host: '192.0.2.1', port: 0 })).rejects.toMatchObject({
      code: 40003,
      message: 'address 192.0.2.1:0 is not an address of this machine',
      cause: expect.objectContaining({ code: 'EADDRNOTAVAIL' }),
    });
  });
});

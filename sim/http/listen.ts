/** Starting and stopping a simulator's HTTP(S) server on loopback, the same way for all of them. */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Listens on `host:port` (port 0 picks a free one) and resolves to `scheme://host:port`. */
export async function listen(server: Server, port: number, host: string, scheme = 'http'): Promise<string> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const hostPart = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return `${scheme}://${hostPart}:${address.port}`;
}

/** Closes the server and drops open connections: clients keep them alive, and close() would wait. */
export function close(server: Server): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    server.close((err) => (err ? reject(err) : resolve()));
    server.closeAllConnections();
  });
}

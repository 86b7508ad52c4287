import type { AddressInfo } from 'node:net';
import { serve as serveNode } from '@hono/node-server';
import type { Hono } from 'hono';
import type { ApiEnv } from './env.ts';

export interface RunningServer {
  port: number;
  url: string;
  close(): Promise<void>;
}

/** Listens on `port` (0: any free port) and resolves once the server accepts connections. */
export function serve(app: Hono<ApiEnv>, port: number, hostname?: string): Promise<RunningServer> {
  return new Promise((resolve, reject) => {
    const server = serveNode({ fetch: app.fetch, port, hostname }, (info: AddressInfo) => {
      server.off('error', reject);
      const host = hostname && hostname !== '0.0.0.0' && hostname !== '::' ? hostname : 'localhost';
      const urlHost = host.includes(':') ? `[${host}]` : host;
      resolve({
        port: info.port,
        url: `http://${urlHost}:${info.port}`,
        close: () =>
          new Promise<void>((done, fail) => {
            server.close((error) => (error ? fail(error) : done()));
            // Idle keep-alive connections would hold close() open until they time out.
            if ('closeIdleConnections' in server) server.closeIdleConnections();
          }),
      });
    });
    server.once('error', reject);
  });
}

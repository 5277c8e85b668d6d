/**
 * Listening and graceful shutdown. close() stops accepting connections, lets requests in flight finish, and closes
 * keep-alive connections as they fall idle (telling clients with `Connection: close`), so a deploy drops no
 * request; whatever is still open when the timeout ends is cut, so shutdown cannot hang on a stuck client.
 */
import { createServer, type RequestListener, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface StartOptions {
  port: number;
  host: string;
  /** How long close() waits for requests in flight (config.shutdownTimeoutMs); default 10 s. */
  shutdownTimeoutMs?: number;
}

export interface RunningServer {
  /** The bound port; differs from the requested one when that was 0. */
  port: number;
  server: Server;
  close(): Promise<void>;
}

export async function startHttpServer(app: RequestListener, options: StartOptions): Promise<RunningServer> {
  const server = createServer(app);
  let closing: Promise<void> | null = null;
  const inFlight = new Set<ServerResponse>();

  server.on('request', (_req, res: ServerResponse) => {
    if (closing) {
      if (!res.headersSent) res.setHeader('Connection', 'close');
      return;
    }
    inFlight.add(res);
    res.once('close', () => inFlight.delete(res));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;

  function close(): Promise<void> {
    closing ??= new Promise<void>((resolve, reject) => {
      // Responses still being prepared tell their clients this connection ends with them.
      for (const res of inFlight) if (!res.headersSent) res.setHeader('Connection', 'close');
      const timeoutMs = options.shutdownTimeoutMs ?? 10_000;
      // Connections that finish a response while we wait become idle; sweep them until the server is empty.
      const sweep = setInterval(() => server.closeIdleConnections(), 50);
      const deadline = setTimeout(() => server.closeAllConnections(), timeoutMs);
      server.close((error) => {
        clearInterval(sweep);
        clearTimeout(deadline);
        if (error) reject(error);
        else resolve();
      });
      server.closeIdleConnections();
    });
    return closing;
  }

  return { port, server, close };
}

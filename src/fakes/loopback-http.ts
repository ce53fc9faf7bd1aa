import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * The lifecycle every fake OpenAI-compatible HTTP server shares: listen on 127.0.0.1 (tests never
 * bind anything else) on a free port, give the base URL a user would type into Preferences, and
 * close without waiting for keep-alive connections to time out.
 */

export async function listenOnLoopback(server: Server): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
}

/** `http://127.0.0.1:<port>/v1`, the base URL of an OpenAI-compatible API. */
export function openAiBaseUrl(server: Server): string {
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
}

export async function closeHttpServer(server: Server): Promise<void> {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}

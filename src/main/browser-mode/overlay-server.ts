import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname } from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import type { OverlayState } from '../../shared/ipc';
import type { PipelineEvent } from '../../shared/pipeline-events';
import {
  clientMessageSchema,
  encodeServerMessage,
  type ClientMessage,
  type ServerMessage,
} from '../../shared/ws-protocol';
import { resolveInside } from '../files/safe-path';
import type { Logger } from '../pipeline/logger';

/** URL prefix (under the token) of the user's own model folder. */
export const CUSTOM_MODEL = 'custom-model/';

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.moc': 'application/octet-stream',
  '.moc3': 'application/octet-stream',
  '.mtn': 'text/plain',
  '.mp3': 'audio/mpeg',
  '.wasm': 'application/wasm',
};

export interface OverlayServerOptions {
  /** The built renderer (out/renderer). */
  root: string;
  /** 0 picks a free port. */
  port?: number;
  token?: string;
  logger: Logger;
  onMessage(message: ClientMessage): void;
  /** Sent to every page as it connects; its `modelFolder` is served under custom-model/. */
  overlayState?: () => OverlayState;
}

/**
 * Serves the overlay page to a browser or an OBS Browser Source on 127.0.0.1 only. Everything
 * lives under /<token>/, so the page's relative asset URLs carry the token and nothing is
 * reachable without it; the WebSocket at /<token>/ws streams the same events as Electron IPC.
 */
export class OverlayServer {
  readonly token: string;
  private readonly clients = new Set<WebSocket>();

  private constructor(
    private readonly http: Server,
    private readonly wss: WebSocketServer,
    private readonly options: OverlayServerOptions,
    token: string,
  ) {
    this.token = token;
    http.on('request', (req, res) => void this.serve(req, res).catch(() => res.destroy()));
    http.on('upgrade', (req, socket, head) => {
      if (!this.authorised(req.url ?? '', '/ws')) {
        socket.end('HTTP/1.1 403 Forbidden\r\n\r\n');
        return;
      }
      wss.handleUpgrade(req, socket, head, (ws) => this.accept(ws));
    });
  }

  static async start(options: OverlayServerOptions): Promise<OverlayServer> {
    const http = createServer();
    const wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 });
    await new Promise<void>((resolve, reject) => {
      http.once('error', reject);
      http.listen(options.port ?? 0, '127.0.0.1', resolve);
    });
    return new OverlayServer(http, wss, options, options.token ?? randomBytes(18).toString('base64url'));
  }

  get port(): number {
    return (this.http.address() as AddressInfo).port;
  }

  /** The URL to paste into OBS (Browser Source, transparent by default). */
  get url(): string {
    return `http://127.0.0.1:${this.port}/${this.token}/index.html`;
  }

  publish(event: PipelineEvent): void {
    this.broadcast({ type: 'pipeline', event });
  }

  publishOverlayState(state: OverlayState): void {
    this.broadcast({ type: 'overlay-state', state });
  }

  async close(): Promise<void> {
    for (const client of this.clients) client.terminate();
    this.http.closeAllConnections();
    await new Promise<void>((resolve) => this.http.close(() => resolve()));
  }

  private broadcast(message: ServerMessage): void {
    const frame = encodeServerMessage(message);
    for (const client of this.clients) if (client.readyState === client.OPEN) client.send(frame);
  }

  private authorised(url: string, rest: string): boolean {
    const path = url.split('?')[0] ?? '';
    const expected = `/${this.token}${rest}`;
    const a = Buffer.from(path.slice(0, expected.length));
    const b = Buffer.from(expected);
    return a.length === b.length && timingSafeEqual(a, b) && (rest !== '/ws' || path === expected);
  }

  private accept(ws: WebSocket): void {
    this.clients.add(ws);
    ws.on('close', () => this.clients.delete(ws));
    ws.on('error', () => ws.terminate());
    ws.on('message', (data, isBinary) => {
      let parsed: unknown;
      try {
        parsed = isBinary ? undefined : JSON.parse(data.toString());
      } catch {
        parsed = undefined;
      }
      const message = clientMessageSchema.safeParse(parsed);
      if (!message.success) {
        this.options.logger.warn('browser overlay sent an invalid message; ignored');
        return;
      }
      this.options.onMessage(message.data);
    });
    const state = this.options.overlayState?.();
    if (state) ws.send(encodeServerMessage({ type: 'overlay-state', state }));
  }

  private async serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = req.url ?? '/';
    if (req.method !== 'GET' || !this.authorised(url, '/')) {
      res.writeHead(404).end();
      return;
    }
    const requested = (url.split('?')[0] ?? '').slice(this.token.length + 2) || 'index.html';
    const modelFolder = this.options.overlayState?.().modelFolder;
    const file = requested.startsWith(CUSTOM_MODEL)
      ? modelFolder
        ? resolveInside(modelFolder, requested.slice(CUSTOM_MODEL.length))
        : undefined
      : resolveInside(this.options.root, requested);
    if (!file) {
      res.writeHead(404).end();
      return;
    }
    const info = await stat(file).catch(() => undefined);
    if (!info?.isFile()) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, {
      'Content-Type': MIME[extname(file)] ?? 'application/octet-stream',
      'Content-Length': info.size,
      'Cache-Control': 'no-cache',
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'no-referrer',
    });
    createReadStream(file).pipe(res);
  }
}

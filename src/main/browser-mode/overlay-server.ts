import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname } from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import type { OverlayState } from '../../shared/ipc';
import type { PipelineEvent } from '../../shared/pipeline-events';
import type { EarState } from '../../shared/voice-input';
import {
  clientMessageSchema,
  encodeServerMessage,
  type ClientMessage,
  type ServerMessage,
} from '../../shared/ws-protocol';
import { realPathInside, resolveInside } from '../files/safe-path';
import type { Logger } from '../pipeline/logger';
import { TokenBucket } from './token-bucket';

/** Bytes waiting to be sent to one page beyond which its audio is dropped (about a minute of speech). */
const AUDIO_DROP_BYTES = 512 * 1024;
/** Bytes waiting beyond which the page is disconnected: it has stopped reading. */
const DISCONNECT_BYTES = 2 * 1024 * 1024;
/** `say` requests one page may send at once, then one per SAY_REFILL_MS. */
const SAY_BURST = 5;
const SAY_REFILL_MS = 2000;

interface ClientState {
  says: TokenBucket;
  /** True while its audio is being dropped (logged once per episode). */
  dropping: boolean;
}

/** URL prefix (under the token) of the user's own model folder. */
const CUSTOM_MODEL = 'custom-model/';

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
  /**
   * Other local endpoints on this server, tried first (the chat endpoint, chat/local-chat-endpoint.ts);
   * true when it answered the request.
   */
  extraRoutes?: (req: IncomingMessage, res: ServerResponse) => boolean;
}

/**
 * Serves the overlay page to a browser or an OBS Browser Source on 127.0.0.1 only. Everything
 * lives under /<token>/, so the page's relative asset URLs carry the token and nothing is
 * reachable without it; the WebSocket at /<token>/ws streams the same events as Electron IPC.
 */
export class OverlayServer {
  readonly token: string;
  private readonly clients = new Set<WebSocket>();
  private readonly state = new WeakMap<WebSocket, ClientState>();
  /** The ear's state the pages show (stream-ear-state.ts decides); undefined = none, nothing sent. */
  private earState: EarState | undefined;

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
      if (!this.allowedOrigin(req.headers.origin)) {
        // A page on another site that learnt the token (a leaked OBS URL) must not drive Kiyo.
        options.logger.warn(
          `browser/OBS mode refused a WebSocket from the page at ${JSON.stringify(req.headers.origin?.slice(0, 200))}`,
        );
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

  /**
   * The desktop ear's state for the pages to show, and for pages that connect later; undefined
   * hides it ('off' to the pages) and later pages get nothing.
   */
  publishEarState(state: EarState | undefined): void {
    this.earState = state;
    this.broadcast({ type: 'ear-state', state: state ?? 'off' });
  }

  async close(): Promise<void> {
    for (const client of this.clients) client.terminate();
    this.http.closeAllConnections();
    await new Promise<void>((resolve) => this.http.close(() => resolve()));
  }

  /**
   * Sends to every page, but holds only so much for one that does not read (a frozen tab, a
   * hostile client): past AUDIO_DROP_BYTES its audio is dropped, past DISCONNECT_BYTES it is
   * disconnected, so a slow page costs main a bounded amount of memory and others are unaffected.
   */
  private broadcast(message: ServerMessage): void {
    const frame = encodeServerMessage(message);
    const audio = message.type === 'pipeline' && message.event.type === 'audio';
    for (const client of this.clients) {
      if (client.readyState !== client.OPEN) continue;
      const waiting = client.bufferedAmount;
      const state = this.state.get(client);
      if (waiting > DISCONNECT_BYTES) {
        this.options.logger.warn(
          `disconnected a browser/OBS page that stopped reading (${(waiting / 2 ** 20).toFixed(1)} MB waiting)`,
        );
        client.terminate();
        continue;
      }
      if (audio && waiting > AUDIO_DROP_BYTES) {
        if (state && !state.dropping)
          this.options.logger.warn(
            'a browser/OBS page is not reading fast enough; its audio is dropped until it catches up',
          );
        if (state) state.dropping = true;
        continue;
      }
      if (audio && state) state.dropping = false;
      client.send(frame);
    }
  }

  /** The page's own origin (either name of the loopback address), or none at all (OBS, tools). */
  private allowedOrigin(origin: string | undefined): boolean {
    if (origin === undefined) return true;
    return origin === `http://127.0.0.1:${this.port}` || origin === `http://localhost:${this.port}`;
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
    const client: ClientState = { says: new TokenBucket(SAY_BURST, SAY_REFILL_MS), dropping: false };
    this.state.set(ws, client);
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
      if (message.data.type === 'say' && !client.says.take()) {
        this.options.logger.warn('browser overlay sent messages too fast; one was refused');
        ws.send(
          encodeServerMessage({
            type: 'refused',
            message: 'Too many messages at once: wait a moment before sending another.',
          }),
        );
        return;
      }
      this.options.onMessage(message.data);
    });
    const state = this.options.overlayState?.();
    if (state) ws.send(encodeServerMessage({ type: 'overlay-state', state }));
    if (this.earState) ws.send(encodeServerMessage({ type: 'ear-state', state: this.earState }));
  }

  private async serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (this.options.extraRoutes?.(req, res)) return;
    const url = req.url ?? '/';
    if (req.method !== 'GET' || !this.authorised(url, '/')) {
      res.writeHead(404).end();
      return;
    }
    const requested = (url.split('?')[0] ?? '').slice(this.token.length + 2) || 'index.html';
    const custom = requested.startsWith(CUSTOM_MODEL);
    const folder = custom ? this.options.overlayState?.().modelFolder : this.options.root;
    const file = folder
      ? resolveInside(folder, custom ? requested.slice(CUSTOM_MODEL.length) : requested)
      : undefined;
    // The name is inside the folder; so must be the file once symbolic links are followed.
    const real = folder && file ? await realPathInside(folder, file) : undefined;
    if (!real) {
      res.writeHead(404).end();
      return;
    }
    const info = await stat(real).catch(() => undefined);
    if (!info?.isFile()) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, {
      'Content-Type': MIME[extname(file!)] ?? 'application/octet-stream',
      'Content-Length': info.size,
      'Cache-Control': 'no-cache',
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'no-referrer',
    });
    createReadStream(real).pipe(res);
  }
}

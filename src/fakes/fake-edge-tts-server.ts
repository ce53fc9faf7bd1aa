import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { MP3_FRAME_MS, speak } from './fake-speech';

/**
 * A local stand-in for Edge's read-aloud WebSocket service, speaking its real protocol:
 * `speech.config` then `ssml` requests in; `turn.start`, binary `Path:audio` frames
 * (2-byte header length + headers + MP3), `audio.metadata` word boundaries (when asked for)
 * and `turn.end` out, every frame carrying the request's `X-RequestId`.
 */

export type TtsFault = 'none' | 'drop-mid-stream' | 'silent' | 'close-on-request';

export interface FakeEdgeOptions {
  /** ms from the ssml request to the first audio frame. */
  ttfbMs?: number;
  /** Synthesis time per second of audio: 0.2 = five times faster than real time; 0 = all at once. */
  realtimeFactor?: number;
  /** Audio frames (24 ms each) per WebSocket message. */
  framesPerMessage?: number;
  /** 0 (default) picks a free port; a fixed one lets a test bring "the service" back. */
  port?: number;
}

export interface ReceivedRequest {
  requestId: string;
  text: string;
  ssml: string;
  outputFormat: string;
}

const CRLF = '\r\n';

const voice = (ShortName: string, Gender: string, FriendlyName: string) => ({
  Name: `Microsoft Server Speech Text to Speech Voice (${ShortName})`,
  ShortName,
  Gender,
  Locale: ShortName.split('-').slice(0, 2).join('-'),
  SuggestedCodec: 'audio-24khz-48kbitrate-mono-mp3',
  FriendlyName,
  Status: 'GA',
});

export const FAKE_VOICES = [
  voice('en-US-AnaNeural', 'Female', 'Microsoft Ana Online (Natural) - English (United States)'),
  voice('en-US-GuyNeural', 'Male', 'Microsoft Guy Online (Natural) - English (United States)'),
  voice('en-GB-SoniaNeural', 'Female', 'Microsoft Sonia Online (Natural) - English (United Kingdom)'),
  voice('ja-JP-NanamiNeural', 'Female', 'Microsoft Nanami Online (Natural) - Japanese (Japan)'),
  voice('zh-CN-XiaoxiaoNeural', 'Female', 'Microsoft Xiaoxiao Online (Natural) - Chinese (Mainland)'),
];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function parseHeaders(message: string): { headers: Record<string, string>; body: string } {
  const split = message.indexOf(CRLF + CRLF);
  const head = split < 0 ? message : message.slice(0, split);
  const headers: Record<string, string> = {};
  for (const line of head.split(CRLF)) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return { headers, body: split < 0 ? '' : message.slice(split + 4) };
}

function decodeEntities(text: string): string {
  const named: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
  return text.replace(/&(#\d+|#x[0-9a-f]+|\w+);/gi, (m, code: string) => {
    if (code.startsWith('#x')) return String.fromCodePoint(parseInt(code.slice(2), 16));
    if (code.startsWith('#')) return String.fromCodePoint(parseInt(code.slice(1), 10));
    return named[code] ?? m;
  });
}

export function textOfSsml(ssml: string): string {
  return decodeEntities(ssml.replace(/<[^>]+>/g, ' '))
    .replace(/\s+/g, ' ')
    .trim();
}

function textFrame(requestId: string, path: string, contentType: string, body: string): string {
  return (
    [
      `X-RequestId:${requestId}`,
      `Content-Type:${contentType}`,
      `X-Timestamp:${new Date().toISOString()}`,
      `Path:${path}`,
    ].join(CRLF) +
    CRLF +
    CRLF +
    body
  );
}

function audioFrame(requestId: string, audio: Uint8Array): Buffer {
  const header = Buffer.from(
    [`X-RequestId:${requestId}`, 'Content-Type:audio/mpeg', `X-StreamId:${requestId}`, 'Path:audio'].join(
      CRLF,
    ) + CRLF,
  );
  const length = Buffer.alloc(2);
  length.writeUInt16BE(header.length);
  return Buffer.concat([length, header, audio]);
}

export class FakeEdgeTtsServer {
  readonly requests: ReceivedRequest[] = [];
  /** Faults for the next requests, in order; then `defaultFault`. */
  readonly faults: TtsFault[] = [];
  defaultFault: TtsFault = 'none';
  options: Required<FakeEdgeOptions>;
  connections = 0;
  /** Requests whose client closed the socket before `turn.end`. */
  abandoned = 0;
  private readonly sockets = new Set<WebSocket>();

  private constructor(
    private readonly wss: WebSocketServer,
    private readonly http: Server,
    options: FakeEdgeOptions,
  ) {
    this.options = { ttfbMs: 150, realtimeFactor: 0.2, framesPerMessage: 5, port: 0, ...options };
    wss.on('connection', (socket) => this.accept(socket));
  }

  static async start(options: FakeEdgeOptions = {}): Promise<FakeEdgeTtsServer> {
    // One port for both, like the real service: the voice list over HTTP, synthesis over WebSocket.
    const http = createServer((req, res) => {
      if (req.method === 'GET' && req.url?.startsWith('/consumer/speech/synthesize/readaloud/voices/list')) {
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify(FAKE_VOICES));
      } else res.writeHead(404).end();
    });
    const wss = new WebSocketServer({ server: http });
    await new Promise<void>((resolve, reject) => {
      http.once('error', reject);
      http.listen(options.port ?? 0, '127.0.0.1', resolve);
    });
    return new FakeEdgeTtsServer(wss, http, options);
  }

  /** The voice list URL to give `fetchEdgeVoices`. */
  get voicesUrl(): string {
    return `http://127.0.0.1:${(this.http.address() as AddressInfo).port}/consumer/speech/synthesize/readaloud/voices/list?trustedclienttoken=fake`;
  }

  /** The endpoint to give the engine (the real one is wss://speech.platform.bing.com/…/edge/v1). */
  get url(): string {
    return `ws://127.0.0.1:${(this.http.address() as AddressInfo).port}/consumer/speech/synthesize/readaloud/edge/v1`;
  }

  get openSockets(): number {
    return [...this.sockets].filter((s) => s.readyState === s.OPEN).length;
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.terminate();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
    this.http.closeAllConnections();
    await new Promise<void>((resolve) => this.http.close(() => resolve()));
  }

  private accept(socket: WebSocket): void {
    this.connections++;
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
    socket.on('error', () => socket.terminate());
    let outputFormat = 'audio-24khz-48kbitrate-mono-mp3';
    let wordBoundaries = false;
    // The service answers one request at a time per connection, like the real one.
    let queue = Promise.resolve();
    socket.on('message', (data, isBinary) => {
      if (isBinary) return;
      const { headers, body } = parseHeaders(data.toString());
      if (headers.path === 'speech.config') {
        try {
          const audio = JSON.parse(body).context.synthesis.audio;
          outputFormat = audio.outputFormat;
          wordBoundaries = String(audio.metadataoptions?.wordBoundaryEnabled) === 'true';
        } catch {
          socket.close(1007, 'bad speech.config');
        }
      } else if (headers.path === 'ssml') {
        const request = {
          requestId: headers['x-requestid'] ?? '',
          text: textOfSsml(body),
          ssml: body,
          outputFormat,
        };
        this.requests.push(request);
        const fault = this.faults.shift() ?? this.defaultFault;
        const boundaries = wordBoundaries;
        queue = queue
          .then(() => this.answer(socket, request, fault, boundaries))
          .catch(() => {
            this.abandoned++;
            socket.terminate();
          });
      }
    });
  }

  private async answer(
    socket: WebSocket,
    request: ReceivedRequest,
    fault: TtsFault,
    boundaries: boolean,
  ): Promise<void> {
    if (fault === 'silent') return;
    if (fault === 'close-on-request') {
      socket.terminate();
      return;
    }
    const start = performance.now();
    const kbps = request.outputFormat.includes('96kbitrate') ? 96 : 48;
    const audio = await speak(request.text, kbps);
    const { ttfbMs, realtimeFactor, framesPerMessage } = this.options;
    const id = request.requestId;
    const send = (payload: string | Buffer) => {
      if (socket.readyState !== socket.OPEN) throw new Error('client went away');
      socket.send(payload);
    };
    await sleep(ttfbMs - (performance.now() - start));
    send(
      textFrame(
        id,
        'turn.start',
        'application/json; charset=utf-8',
        JSON.stringify({ context: { serviceTag: randomUUID() } }),
      ),
    );
    if (boundaries) {
      const words = request.text.split(/\s+/).filter(Boolean);
      const per = (audio.durationMs * 10_000) / Math.max(1, words.length);
      const metadata = words.map((word, i) => ({
        Type: 'WordBoundary',
        Data: {
          Offset: Math.round(i * per),
          Duration: Math.round(per),
          text: { Text: word, Length: word.length, BoundaryType: 'WordBoundary' },
        },
      }));
      send(textFrame(id, 'audio.metadata', 'application/json', JSON.stringify({ Metadata: metadata })));
    }
    const frames = audio.frames;
    for (let i = 0; i < frames.length; i += framesPerMessage) {
      if (fault === 'drop-mid-stream' && i >= frames.length / 2) {
        socket.terminate();
        return;
      }
      const dueMs = ttfbMs + i * MP3_FRAME_MS * realtimeFactor;
      const wait = dueMs - (performance.now() - start);
      if (wait > 1) await sleep(wait);
      send(audioFrame(id, Buffer.concat(frames.slice(i, i + framesPerMessage))));
    }
    send(textFrame(id, 'turn.end', 'application/json; charset=utf-8', '{}'));
  }
}

import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { refusalOf, TRUSTED_CLIENT_TOKEN } from './edge-client-check';
import { MP3_FRAME_MS, speak } from './fake-speech';

/**
 * A local stand-in for Edge's read-aloud WebSocket service, speaking its real protocol and as
 * strict as the service, so a client regression shows here first:
 * - the upgrade is refused (HTTP 403) without `TrustedClientToken`, a current `Sec-MS-GEC` and
 *   `Sec-MS-GEC-Version` in the query (see edge-client-check.ts);
 * - `speech.config` then `ssml` requests in; an ssml naming a voice the service does not have is
 *   answered by closing the socket (1007, "Unsupported voice …"), with no audio;
 * - out: `turn.start`, `response`, then binary `Path:audio` frames (2-byte header length +
 *   headers + MP3) interleaved with one `audio.metadata` word boundary per word, then a
 *   `SessionEnd` metadata item (only when `speech.config` asked for word boundaries: msedge-tts
 *   fails on metadata it did not ask for), an empty audio frame without Content-Type, and
 *   `turn.end`; every frame carries the request's `X-RequestId`.
 */

export type TtsFault = 'none' | 'drop-mid-stream' | 'silent' | 'close-on-request';
/** The first word boundary of an answer is malformed (a negative offset, no text). */
export type MetadataFault = 'malformed-word-boundary';

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
  /** The Edge voice named in the ssml ('' when none). */
  voice: string;
}

/** A client turned away, and why (the service's reason). */
export interface Refusal {
  stage: 'upgrade' | 'ssml';
  reason: string;
}

const CRLF = '\r\n';
const VOICES_PATH = '/consumer/speech/synthesize/readaloud/voices/list';

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
const KNOWN_VOICES = new Set(FAKE_VOICES.map((v) => v.ShortName));
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

/** The voice an ssml request asks for: `<voice name="…">`. */
export function voiceOfSsml(ssml: string): string {
  return /<voice\s[^>]*\bname\s*=\s*["']([^"']*)["']/i.exec(ssml)?.[1]?.trim() ?? '';
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

/**
 * A binary audio frame. With no audio, the one the service sends at the end of a turn: no
 * Content-Type, no payload.
 */
function audioFrame(requestId: string, streamId: string, audio?: Uint8Array): Buffer {
  const lines = audio
    ? [`X-RequestId:${requestId}`, 'Content-Type:audio/mpeg', `X-StreamId:${streamId}`, 'Path:audio']
    : [`X-RequestId:${requestId}`, `X-StreamId:${streamId}`, 'Path:audio'];
  const header = Buffer.from(lines.join(CRLF) + CRLF);
  const length = Buffer.alloc(2);
  length.writeUInt16BE(header.length);
  return Buffer.concat([length, header, audio ?? Buffer.alloc(0)]);
}

/**
 * The words the service times: word-like segments in the voice's language (punctuation has no
 * word boundary; Chinese and Japanese, written without spaces, still have one per word).
 */
export function boundaryWords(text: string, voice: string): string[] {
  const locale = voice.split('-').slice(0, 2).join('-') || 'en-US';
  const segmenter = new Intl.Segmenter(locale, { granularity: 'word' });
  return [...segmenter.segment(text)].filter((s) => s.isWordLike).map((s) => s.segment);
}

/** One `audio.metadata` message per word, timed in 100-ns ticks across the clause's audio. */
function wordBoundaryMessages(words: string[], durationMs: number) {
  const ticksPerWord = (durationMs * 10_000) / Math.max(1, words.length);
  return words.map((word, i) => ({
    offsetMs: (i * ticksPerWord) / 10_000,
    body: JSON.stringify({
      Metadata: [
        {
          Type: 'WordBoundary',
          Data: {
            Offset: Math.round(i * ticksPerWord),
            Duration: Math.round(ticksPerWord),
            text: { Text: word, Length: word.length, BoundaryType: 'WordBoundary' },
          },
        },
      ],
    }),
  }));
}

export class FakeEdgeTtsServer {
  readonly requests: ReceivedRequest[] = [];
  /** Faults for the next requests, in order; then `defaultFault`. */
  readonly faults: TtsFault[] = [];
  defaultFault: TtsFault = 'none';
  /** Word-timing faults for the next answers that carry word boundaries, in order. */
  readonly metadataFaults: MetadataFault[] = [];
  options: Required<FakeEdgeOptions>;
  connections = 0;
  /** Clients turned away at the upgrade or for an ssml the service would not speak. */
  readonly refusals: Refusal[] = [];
  /** Requests whose client closed the socket before `turn.end`. */
  abandoned = 0;
  private readonly sockets = new Set<WebSocket>();

  private readonly wss: WebSocketServer;

  private constructor(
    private readonly http: Server,
    options: FakeEdgeOptions,
  ) {
    this.options = { ttfbMs: 150, realtimeFactor: 0.2, framesPerMessage: 5, port: 0, ...options };
    this.wss = new WebSocketServer({
      server: http,
      // The service answers a bad query with 403 before the upgrade, not with a closed socket.
      verifyClient: ({ req }, done) => {
        const reason = refusalOf(new URL(req.url ?? '/', 'http://127.0.0.1'));
        if (!reason) return done(true);
        this.refusals.push({ stage: 'upgrade', reason });
        done(false, 403, `Forbidden: ${reason}`);
      },
    });
    this.wss.on('connection', (socket) => this.accept(socket));
  }

  static async start(options: FakeEdgeOptions = {}): Promise<FakeEdgeTtsServer> {
    // One port for both, like the real service: the voice list over HTTP, synthesis over WebSocket.
    const http = createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      if (req.method === 'GET' && url.pathname === VOICES_PATH) {
        if (url.searchParams.get('trustedclienttoken') !== TRUSTED_CLIENT_TOKEN) {
          res.writeHead(403).end();
          return;
        }
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify(FAKE_VOICES));
      } else res.writeHead(404).end();
    });
    const server = new FakeEdgeTtsServer(http, options);
    await new Promise<void>((resolve, reject) => {
      http.once('error', reject);
      http.listen(options.port ?? 0, '127.0.0.1', resolve);
    });
    return server;
  }

  /** The voice list URL to give `fetchEdgeVoices`. */
  get voicesUrl(): string {
    return `http://127.0.0.1:${(this.http.address() as AddressInfo).port}${VOICES_PATH}?trustedclienttoken=${TRUSTED_CLIENT_TOKEN}`;
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
        const voice = voiceOfSsml(body);
        const request = {
          requestId: headers['x-requestid'] ?? '',
          text: textOfSsml(body),
          ssml: body,
          outputFormat,
          voice,
        };
        this.requests.push(request);
        if (!KNOWN_VOICES.has(voice)) {
          // What the service does with a voice it does not have: no audio, the socket closed.
          const reason = `Unsupported voice ${voice || '(none)'}`;
          this.refusals.push({ stage: 'ssml', reason });
          socket.close(1007, reason);
          return;
        }
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
    const audio = await speak(request.text, { voice: request.voice, kbps });
    const { ttfbMs, realtimeFactor, framesPerMessage } = this.options;
    const id = request.requestId;
    const streamId = randomUUID().replaceAll('-', '').toUpperCase();
    const serviceTag = randomUUID().replaceAll('-', '');
    const json = 'application/json; charset=utf-8';
    const send = (payload: string | Buffer) => {
      if (socket.readyState !== socket.OPEN) throw new Error('client went away');
      socket.send(payload);
    };
    await sleep(ttfbMs - (performance.now() - start));
    send(textFrame(id, 'turn.start', json, JSON.stringify({ context: { serviceTag } })));
    send(
      textFrame(
        id,
        'response',
        json,
        JSON.stringify({ context: { serviceTag }, audio: { type: 'inline', streamId } }),
      ),
    );
    // Like the service, each word's boundary comes just before the audio it starts in.
    const pending = boundaries
      ? wordBoundaryMessages(boundaryWords(request.text, request.voice), audio.durationMs)
      : [];
    if (boundaries && pending[0] && this.metadataFaults.shift() === 'malformed-word-boundary') {
      const bad = { Type: 'WordBoundary', Data: { Offset: -5, Duration: 10, text: {} } };
      pending[0].body = JSON.stringify({ Metadata: [bad] });
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
      const endMs = Math.min(frames.length, i + framesPerMessage) * MP3_FRAME_MS;
      while (pending.length > 0 && pending[0]!.offsetMs < endMs)
        send(textFrame(id, 'audio.metadata', 'application/json', pending.shift()!.body));
      send(audioFrame(id, streamId, Buffer.concat(frames.slice(i, i + framesPerMessage))));
    }
    for (const boundary of pending) send(textFrame(id, 'audio.metadata', 'application/json', boundary.body));
    if (boundaries) {
      const end = {
        Metadata: [{ Type: 'SessionEnd', Data: { Offset: Math.round(audio.durationMs * 10_000) } }],
      };
      send(textFrame(id, 'audio.metadata', 'application/json', JSON.stringify(end)));
    }
    send(audioFrame(id, streamId));
    send(textFrame(id, 'turn.end', json, JSON.stringify({ context: { serviceTag } })));
  }
}

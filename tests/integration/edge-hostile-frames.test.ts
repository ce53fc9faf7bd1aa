import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { WebSocketServer, type WebSocket } from 'ws';
import { PipelineError } from '../../src/main/pipeline/pipeline-error';
import { EdgeTtsEngine } from '../../src/main/pipeline/tts/edge-tts-engine';
import { FallbackTtsEngine } from '../../src/main/pipeline/tts/fallback-tts-engine';
import { OfflineTtsEngine } from '../../src/main/pipeline/tts/offline-tts-engine';
import type { AudioChunk, TtsNotice } from '../../src/main/pipeline/tts/tts-engine';
import { parsePipelineSettings } from '../../src/shared/settings';
import { testLogger } from '../helpers/pipeline-fixture';

/**
 * A hostile Edge-protocol server, written here rather than as a mode of the project's fake so it
 * owes nothing to the client's assumptions: it takes the handshake and the ssml request like the
 * service, then answers with one malformed frame.
 */
type Malformed = 'no-request-id' | 'unknown-request-id' | 'unknown-id-turn-end' | 'garbage-binary';
// Metadata frames are no longer hostile: the engine always asks for word boundaries, and one it
// cannot read costs only that clause's word timing (tests/integration/edge-word-timing.test.ts).

const CRLF = '\r\n';

function frameFor(kind: Malformed, requestId: string): string | Buffer {
  switch (kind) {
    case 'no-request-id':
      return ['Content-Type:application/json; charset=utf-8', 'Path:turn.start', '', '{}'].join(CRLF);
    case 'unknown-request-id': {
      const header = Buffer.from(
        ['X-RequestId:0123456789abcdef0123456789abcdef', 'Content-Type:audio/mpeg', 'Path:audio', ''].join(
          CRLF,
        ),
      );
      const length = Buffer.alloc(2);
      length.writeUInt16BE(header.length);
      return Buffer.concat([length, header, randomBytes(64)]);
    }
    case 'unknown-id-turn-end':
      return [`X-RequestId:${requestId.split('').reverse().join('')}`, 'Path:turn.end', '', '{}'].join(CRLF);
    case 'garbage-binary':
      return randomBytes(300);
  }
}

class HostileEdge {
  mode: Malformed = 'no-request-id';
  /** Malformed frames actually written to a client socket. */
  sent = 0;
  requests = 0;
  private readonly sockets = new Set<WebSocket>();

  private constructor(private readonly wss: WebSocketServer) {
    wss.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
      socket.on('message', (data, isBinary) => {
        const text = isBinary ? '' : data.toString();
        if (!text.includes('Path:ssml')) return;
        this.requests++;
        const id = /X-RequestId:([^\r\n]*)/.exec(text)?.[1] ?? '';
        socket.send(frameFor(this.mode, id), (error) => {
          if (!error) this.sent++;
        });
      });
    });
  }

  static async start(): Promise<HostileEdge> {
    const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    await new Promise<void>((resolve) => wss.once('listening', resolve));
    return new HostileEdge(wss);
  }

  get url(): string {
    return `ws://127.0.0.1:${(this.wss.address() as AddressInfo).port}/edge/v1`;
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.terminate();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }
}

let edge: HostileEdge;
const uncaught: unknown[] = [];
const record = (error: unknown) => uncaught.push(error);
beforeAll(async () => {
  edge = await HostileEdge.start();
  process.on('uncaughtException', record);
  process.on('unhandledRejection', record);
});
afterAll(async () => {
  process.off('uncaughtException', record);
  process.off('unhandledRejection', record);
  await edge.close();
});
afterEach(() => {
  uncaught.length = 0;
});

const settings = parsePipelineSettings({
  tts: { providers: { edge: { warmConnections: 0, timeoutMs: 5000 } } },
});
const KINDS: Malformed[] = ['no-request-id', 'unknown-request-id', 'unknown-id-turn-end', 'garbage-binary'];

describe('a malformed Edge frame fails only its clause; the process keeps running', () => {
  it.each(KINDS)('%s: the clause fails with a plain message', async (kind) => {
    edge.mode = kind;
    const sentBefore = edge.sent;
    const lines: string[] = [];
    const engine = new EdgeTtsEngine(settings.tts.providers.edge, testLogger(lines), edge.url);
    let failure: unknown;
    try {
      for await (const _chunk of engine.synthesize({
        text: 'Hello there.',
        signal: new AbortController().signal,
      }))
        throw new Error('a hostile server produced audio');
    } catch (error) {
      failure = error;
    } finally {
      engine.close();
    }
    // The attack happened: the malformed frame reached the client (once, then once more on the retry).
    expect(edge.sent - sentBefore).toBe(2);
    expect(uncaught).toEqual([]);
    expect(failure).toBeInstanceOf(PipelineError);
    expect((failure as PipelineError).message).toMatch(
      /^The Edge TTS service sent a message Kiyo cannot read/,
    );
    expect((failure as PipelineError).message).not.toMatch(/TypeError|undefined|null/);
    expect(lines.some((l) => l.includes('could not read a message from Edge TTS'))).toBe(true);
  });

  it.each(KINDS)('%s: the clause falls back to the offline voice', async (kind) => {
    edge.mode = kind;
    const sentBefore = edge.sent;
    const logger = testLogger();
    const tts = new FallbackTtsEngine(
      [
        { label: 'Edge voice', engine: new EdgeTtsEngine(settings.tts.providers.edge, logger, edge.url) },
        { label: 'offline voice', engine: new OfflineTtsEngine(settings.tts.providers.offline) },
      ],
      logger,
      60_000,
    );
    const notices: TtsNotice[] = [];
    const chunks: AudioChunk[] = [];
    try {
      for await (const chunk of tts.synthesize({
        text: 'Hello there.',
        signal: new AbortController().signal,
        onNotice: (notice) => notices.push(notice),
      }))
        chunks.push(chunk);
    } finally {
      tts.close();
    }
    expect(edge.sent - sentBefore).toBe(2);
    expect(uncaught).toEqual([]);
    expect(notices.map((n) => n.code)).toEqual(['tts-offline']);
    expect(notices[0]!.message).toMatch(/cannot read/);
    expect(chunks.length).toBeGreaterThan(0);
    expect(chunks.every((c) => c.format.codec === 'pcm')).toBe(true);
  });
});
